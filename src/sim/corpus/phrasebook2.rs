//! The second held-out phrasebook: the generator's facts said the way people on the phone talk
//! to a receptionist, in words and habits neither the generator nor the first held-out
//! phrasebook has.
//!
//! The facts (who calls, what they want, the wished instant, the expected result) come from
//! [`super::generate`] with [`HELDOUT2_SEED`]; only the words and a few habits change:
//! - the request buried in small talk ("Hi there, sorry to call so late…"), or put as a question
//!   ("Any chance Alex could squeeze me in?", "Is Alex free Monday morning?", "Could you put me
//!   down for 10?");
//! - a vague day with the request ("next week", "at the end of the week", "the week after
//!   next") made precise later with a weekday alone; relative days ("the Tuesday after next",
//!   "a week from tomorrow", "the Monday after Thanksgiving"); clock times as whisper writes
//!   them without a meridiem when business hours make it plain ("2:30", "half past 3", "10
//!   o'clock");
//! - an urgent caller who gives the matter in the first breath; messages as "leave a note",
//!   "have Alex ring me", "let Alex know …, and that I can't make it Friday" (a day in a
//!   message, not a cancel);
//! - names given late or mid-sentence, and once, for some callers, an answer to another
//!   question than the one asked ([`super::Aside`]: the topic where the spelling was asked, the
//!   number where the name was, the time where the topic was);
//! - thanks and pleasantries beside the content, corrections in other words ("hang on, that's
//!   when I'm flying", "that's my old number"), zones as "GMT", "PST", "here in Colorado".
//!
//! Every line is something a caller could say and a human receptionist would understand. The
//! reactive [`super::Caller`] plays these lines exactly as it plays the generator's, so the
//! same checks apply.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

use super::phrasebook::{cap, pick};
use super::{generate, instant, Aside, Asked, Callback, Class, FactSheet, Goal, Lines, Wish};
use crate::logic::calendar::ordinal;
use crate::persona::Persona;

/// The seed of the second held-out phrasebook's facts and wording.
pub const HELDOUT2_SEED: u64 = 0x7A1C_2B0E;

/// Calls in the second held-out phrasebook run.
pub const HELDOUT2_CALLS: usize = 80;

/// `n` calls of the second held-out phrasebook: the generator's facts from `seed`, every line
/// said its way.
pub fn heldout2(persona: &Persona, now: DateTime<Utc>, seed: u64, n: usize) -> Vec<FactSheet> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x0DD_BA11);
    generate(persona, now, seed, n)
        .into_iter()
        .map(|sheet| rephrase(persona, now, &mut rng, sheet))
        .collect()
}

/// The first letter lower-cased, unless the first word is "I…" or a name.
pub(super) fn lower_first(s: &str, names: &[&str]) -> String {
    let first = s.split_whitespace().next().unwrap_or("");
    let word = first.trim_matches(|c: char| !c.is_alphanumeric());
    let keep = word == "I" || first.starts_with("I'") || names.contains(&word);
    if keep {
        return s.to_string();
    }
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// A phone number as whisper writes one said at speed.
fn write_number(rng: &mut StdRng, d: &str) -> String {
    if d.len() != 10 {
        let tail = &d[8..];
        return match rng.random_range(0..2) {
            0 => format!("+44 207 946 {tail}"),
            _ => format!("44 207-946-{tail}"),
        };
    }
    let (a, b, c) = (&d[..3], &d[3..6], &d[6..]);
    match rng.random_range(0..4) {
        0 => format!("{a}-{b}-{c}"),
        1 => format!("{a}{b}{c}"),
        2 => format!("{a}, {b}, {c}"),
        _ => format!("{a} {b}-{c}"),
    }
}

/// A clock time. Inside business hours (9 to 4:30) it may come bare, as people say it when the
/// part of the day is plain ("2:30", "half past 3", "10 o'clock"); outside them, or when
/// `explicit`, always with its part of the day.
fn write_time(rng: &mut StdRng, t: NaiveTime, explicit: bool) -> String {
    let (h, m) = (t.hour(), t.minute());
    let h12 = if h > 12 { h - 12 } else { h };
    let business = (9..=16).contains(&h);
    if h == 12 && m == 0 {
        return pick(rng, &["12 noon", "12 o'clock, lunchtime", "noon"]).to_string();
    }
    let part = if h < 12 {
        "in the morning"
    } else if h < 18 {
        "in the afternoon"
    } else {
        "in the evening"
    };
    let ampm = if h < 12 { "am" } else { "pm" };
    if explicit || !business {
        return match (m, rng.random_range(0..3)) {
            (0, 0) => format!("{h12} {part}"),
            (0, 1) => format!("{h12}{ampm}"),
            (0, _) => format!("{h12} o'clock {part}"),
            (_, 0) => format!("half past {h12} {part}"),
            (_, 1) => format!("{h12}:{m:02}{ampm}"),
            _ => format!("{h12}.{m:02} {part}"),
        };
    }
    match (m, rng.random_range(0..3)) {
        (0, 0) => format!("{h12} o'clock"),
        (0, 1) => format!("{h12}"),
        (0, _) => format!("{h12}:00"),
        (_, 0) => format!("half past {h12}"),
        (_, 1) => format!("{h12}:{m:02}"),
        _ => format!("{h12}:{m:02} {part}"),
    }
}

/// Thanksgiving (the fourth Thursday of November) in `year`.
fn thanksgiving(year: i32) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(year, 11, Weekday::Thu, 4)
}

/// A day named the way people name it from `today`, precise on its own.
fn write_day(rng: &mut StdRng, date: NaiveDate, today: NaiveDate) -> String {
    let ahead = (date - today).num_days();
    let weekday = date.format("%A").to_string();
    let month = date.format("%B").to_string();
    let nth = ordinal(date.day());
    let next_monday = today + Duration::days(7 - today.weekday().num_days_from_monday() as i64);
    let mut forms = vec![
        format!("the {nth} of {month}"),
        format!("{weekday} {month} {nth}"),
        format!("the {nth}, that's a {weekday}"),
    ];
    if date < next_monday && ahead >= 2 {
        forms.push(format!("this {weekday} coming up"));
    }
    if date >= next_monday && date < next_monday + Duration::days(7) {
        forms.push(format!("{weekday} of next week"));
        forms.push(format!("next week, {weekday}"));
    }
    if date >= next_monday + Duration::days(7) && date < next_monday + Duration::days(14) {
        forms.push(format!("the {weekday} after next"));
    }
    match ahead {
        7 => forms.push("a week from today".into()),
        8 => forms.push("a week from tomorrow".into()),
        14 => forms.push("two weeks from today".into()),
        _ => {}
    }
    if thanksgiving(today.year()).is_some_and(|t| date == t + Duration::days(4)) {
        forms.push("the Monday after Thanksgiving".into());
    }
    forms.choose(rng).cloned().unwrap_or_default()
}

/// A vague span of days a caller may name with the request, when `date` lies in it, and the
/// weekday that makes it precise later.
fn vague_span(date: NaiveDate, today: NaiveDate) -> Option<(&'static str, String)> {
    let next_monday = today + Duration::days(7 - today.weekday().num_days_from_monday() as i64);
    let weekday = date.format("%A").to_string();
    let ahead = (date - today).num_days();
    if date >= next_monday && date < next_monday + Duration::days(7) {
        return Some((" sometime next week", weekday));
    }
    if date < next_monday && ahead >= 2 && matches!(date.weekday(), Weekday::Thu | Weekday::Fri) {
        return Some((" at the end of the week", weekday));
    }
    if date >= next_monday + Duration::days(7) && date < next_monday + Duration::days(14) {
        return Some((" the week after next", weekday));
    }
    None
}

/// Words for a caller's own zone, and the place they say they are.
fn zone_words(tz: Tz) -> (&'static [&'static str], &'static str) {
    match tz {
        chrono_tz::Europe::London => (&["GMT"], "London"),
        chrono_tz::Europe::Dublin => (&["GMT", "Ireland time"], "Ireland"),
        chrono_tz::America::Denver => (&["Mountain Standard", "MST"], "Colorado"),
        chrono_tz::America::Chicago => (&["Central Standard", "CST"], "Chicago"),
        chrono_tz::America::Los_Angeles => (&["PST", "California time"], "California"),
        chrono_tz::Africa::Lagos => (&["West Africa time"], "Nigeria"),
        _ => (&["my time"], "town"),
    }
}

/// A start said in full: the day and time, in the caller's zone when `zone` is theirs.
fn write_when(
    rng: &mut StdRng,
    persona: &Persona,
    now: DateTime<Utc>,
    start: DateTime<Utc>,
    zone: Option<Tz>,
) -> String {
    let ctz = zone.unwrap_or(persona.timezone);
    let local = start.with_timezone(&ctz).naive_local();
    let today = now.with_timezone(&ctz).date_naive();
    let day = write_day(rng, local.date(), today);
    let time = write_time(rng, local.time(), zone.is_some());
    match zone {
        None => match rng.random_range(0..3) {
            0 => format!("{day} at {time}"),
            1 => format!("{day}, around {time}"),
            _ => format!("{time} on {day}"),
        },
        Some(tz) => {
            let (names, place) = zone_words(tz);
            let zname = pick(rng, names);
            match rng.random_range(0..3) {
                0 => format!("{day} at {time} {zname}"),
                1 => format!("{day} at {time}, that's my time over here in {place}"),
                _ => format!("{time} {zname}, {day}"),
            }
        }
    }
}

/// Another start for a caller to say first and take back: a day later, two hours off.
pub(super) fn wrong_start(persona: &Persona, now: DateTime<Utc>, wish: &Wish) -> DateTime<Utc> {
    let ptz = persona.timezone;
    let local = wish.start.with_timezone(&ptz).naive_local();
    let mut date = local.date();
    for step in [1i64, 2, -1, 3] {
        let d = local.date() + Duration::days(step);
        let later = instant(ptz, d.and_time(local.time())) - now > Duration::hours(14);
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && later {
            date = d;
            break;
        }
    }
    let hour = if local.hour() >= 13 {
        local.hour() - 3
    } else {
        local.hour() + 3
    };
    let t = NaiveTime::from_hms_opt(hour, local.minute(), 0).unwrap_or(local.time());
    instant(ptz, date.and_time(t))
}

/// A word spelled with commas, the first letter "as in" a word when `as_in`: "K as in King, R,
/// I, S, H, N, A, N".
pub(super) fn spell(word: &str, as_in: bool) -> String {
    const AS_IN: [&str; 26] = [
        "Apple", "Boy", "Charlie", "David", "Edward", "Frank", "George", "Harry", "India", "John",
        "King", "Larry", "Mary", "Nancy", "Oscar", "Peter", "Queen", "Robert", "Sam", "Tom",
        "Uncle", "Victor", "William", "X-ray", "Yellow", "Zebra",
    ];
    let letters: Vec<String> = word
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .map(|c| c.to_ascii_uppercase().to_string())
        .collect();
    let mut out = letters.clone();
    if as_in {
        if let Some(first) = letters.first().and_then(|l| l.bytes().next()) {
            out[0] = format!("{} as in {}", letters[0], AS_IN[(first - b'A') as usize]);
        }
    }
    out.join(", ")
}

/// A clock time as picked from offered ones: "2:30", "10 o'clock", "noon".
fn pick_time(t: NaiveTime) -> String {
    let (h, m) = (t.hour(), t.minute());
    let h12 = if h > 12 { h - 12 } else { h };
    match (h, m) {
        (12, 0) => "noon".into(),
        (_, 0) => format!("the {h12} o'clock"),
        _ => format!("the {h12}:{m:02}"),
    }
}

fn rephrase(
    persona: &Persona,
    now: DateTime<Utc>,
    rng: &mut StdRng,
    mut s: FactSheet,
) -> FactSheet {
    let exec = persona.executive_first().to_string();
    let name = s.name.clone();
    let (first, last) = name.split_once(' ').unwrap_or((name.as_str(), ""));
    let (first, last) = (first.to_string(), last.to_string());
    let company = s.company.clone().unwrap_or_else(|| "Northwind".into());
    let known = s.classes.contains(&Class::KnownContact) || s.classes.contains(&Class::Vip);
    let spelled = s.classes.contains(&Class::SpelledName);
    let volunteered = s.classes.contains(&Class::Volunteered);
    let corrected_time = s.classes.contains(&Class::CorrectedTime);
    let changed_mind = s.classes.contains(&Class::ChangedMind);
    let corrected_number = s.classes.contains(&Class::CorrectedNumber);
    let content = s.content.clone();
    let purpose = s.purpose.clone();
    let ptz = persona.timezone;
    let fill = |t: &str| {
        t.replace("{exec}", &exec)
            .replace("{name}", &name)
            .replace("{first}", &first)
            .replace("{last}", &last)
            .replace("{company}", &company)
            .replace("{content}", &content)
            .replace("{p}", &purpose)
    };

    // The wish: said in full, and (without a zone or a correction) perhaps vaguely with the
    // request and made precise with a weekday later.
    let zone = s.wish.as_ref().and_then(|w| w.zone);
    let full = s
        .wish
        .as_ref()
        .map(|w| write_when(rng, persona, now, w.start, zone));
    let wrong_full = s.wish.as_ref().map(|w| {
        let wrong = wrong_start(persona, now, w);
        write_when(rng, persona, now, wrong, zone)
    });
    let local_wish = s.wish.as_ref().map(|w| w.start.with_timezone(&ptz));
    let today = now.with_timezone(&ptz).date_naive();
    let plain_wish = zone.is_none() && !corrected_time && !changed_mind;
    let vague = local_wish
        .filter(|_| plain_wish)
        .and_then(|l| vague_span(l.date_naive(), today))
        .filter(|_| rng.random_bool(0.7));
    let bare_time = local_wish.map(|l| write_time(rng, l.time(), false));
    if let (Some(w), Some(said)) = (s.wish.as_mut(), &full) {
        w.spoken = said.clone();
    }
    let number_said = match &s.callback {
        Callback::Spoken(d) => write_number(rng, d),
        Callback::CallerId => String::new(),
    };

    let small_talk = pick(
        rng,
        &[
            "Hi there, sorry to call so late, I know it's after hours.",
            "Oh hey, I didn't think anyone would pick up this late.",
            "Hi, how are you doing tonight? Good, good.",
            "Evening! Hope your night's going okay.",
            "Hi, yes, hello, thanks for picking up.",
        ],
    )
    .to_string();
    let chatty = rng.random_bool(0.4);

    // Who they are, said before the request, after it, or in its middle.
    let intro_first = fill(if known {
        pick(
            rng,
            &[
                "Hi, {first} here again.",
                "Hey, it's me, {first} {last}.",
                "{first} {last} here, you probably have me on file.",
            ],
        )
    } else if spelled {
        pick(
            rng,
            &[
                "I'm {name}, from {company}, and the last name is spelled {spelled}.",
                "It's {first} {last}, that's {spelled}, calling from {company}.",
            ],
        )
    } else {
        pick(
            rng,
            &[
                "{first} {last}, {company}, hi.",
                "I'm calling from {company}, my name is {name}.",
                "You've got {name} from {company} here.",
            ],
        )
    })
    .replace("{spelled}", &spell(&last, false));
    let intro_late = fill(if known {
        pick(
            rng,
            &["It's {first}, by the way.", "This is {name}, by the way."],
        )
    } else {
        pick(
            rng,
            &[
                "Oh, and it's {name} by the way, from {company}.",
                "Sorry, I should've said, this is {name} with {company}.",
                "I'm {name}, I run operations at {company}.",
            ],
        )
    });
    let intro_mid = fill(if known {
        "Hi, it's {first} {last} again"
    } else {
        pick(
            rng,
            &[
                "So I'm, uh, {name}, I'm over at {company}",
                "So this is {name}, I look after accounts at {company}",
            ],
        )
    });

    let number_ahead = match &s.callback {
        Callback::CallerId => pick(
            rng,
            &[
                "{exec} can ring me back on this one.",
                "The number I'm ringing from is fine for a call back.",
                "Whatever number's showing up there is my cell.",
            ],
        )
        .replace("{exec}", &exec),
        Callback::Spoken(_) => pick(
            rng,
            &[
                "If {exec} wants to call me back, it's {n}.",
                "My cell's {n}.",
                "{exec} can reach me on {n} anytime.",
            ],
        )
        .replace("{exec}", &exec)
        .replace("{n}", &number_said),
    };
    let content_ahead = fill(pick(
        rng,
        &[
            "Can I leave a note for {exec}? Just that {content}.",
            "Would you let {exec} know that {content}? And that I can't make it Friday, so we'll catch up next week.",
            "Could you have {exec} ring me? It's just that {content}.",
            "Okay, so the thing is, {content}, and {exec} should hear it from me.",
            "I'm just calling to give {exec} a heads-up that {content}, and I'm out Monday, so email's best.",
        ],
    ));

    let vague_words = vague.as_ref().map(|(span, _)| *span).unwrap_or("");
    // "Is Alex free Monday morning?": a day and its part, the time given later.
    let next_monday = today + Duration::days(7 - today.weekday().num_days_from_monday() as i64);
    let day_part = local_wish
        .filter(|l| {
            plain_wish && l.hour() != 12 && matches!(s.goals.first(), Some(Goal::FreeThenBook))
        })
        .filter(|_| rng.random_bool(0.6))
        .map(|l| {
            let part = if l.hour() < 12 {
                "morning"
            } else {
                "afternoon"
            };
            let date = l.date_naive();
            let weekday = l.format("%A").to_string();
            if date < next_monday {
                format!("on {weekday} {part}")
            } else if date < next_monday + Duration::days(7) {
                format!("next {weekday} {part}")
            } else {
                format!("on {weekday} the {}, in the {part}", ordinal(l.day()))
            }
        });
    let opener = |g: &Goal, rng: &mut StdRng, first_goal: bool| -> String {
        let w = if first_goal && changed_mind {
            wrong_full.clone()
        } else {
            full.clone()
        }
        .unwrap_or_default();
        let o = match g {
            Goal::Message if volunteered => content_ahead.clone(),
            Goal::Message => pick(
                rng,
                &[
                    "Could I leave a note for {exec}?",
                    "Would you be able to take a message?",
                    "Can you have {exec} ring me back when there's a chance?",
                    "Okay, so {exec}'s gone for the day? Could you get word to {exec} for me?",
                ],
            )
            .to_string(),
            Goal::Book => {
                let mut o = pick(
                    rng,
                    &[
                        "I was wondering if I could get on {exec}'s schedule{v}.",
                        "Any chance {exec} could squeeze me in{v}?",
                        "Would it be possible to sit down with {exec}{v}?",
                        "Could you put me down for a meeting with {exec}{v}?",
                    ],
                )
                .replace("{v}", if first_goal { vague_words } else { "" });
                if volunteered {
                    o.push(' ');
                    o.push_str(pick(
                        rng,
                        &[
                            "I want to walk {exec} through {p}.",
                            "It's to do with {p}.",
                            "Mainly {p}.",
                        ],
                    ));
                    if vague.is_none() && !corrected_time && rng.random_bool(0.5) {
                        o.push_str(&format!(" Ideally {w}, if that's doable."));
                    }
                }
                o
            }
            Goal::FreeThenBook => match &day_part {
                Some(day) => {
                    pick(
                        rng,
                        &[
                            "Is {exec} free {d}?",
                            "I don't suppose {exec} has anything {d}?",
                            "Would {exec} have a gap {d}, by any chance?",
                        ],
                    )
                    .replace("{d}", day)
                }
                _ => pick(
                    rng,
                    &[
                        "Does {exec} have any time {w}?",
                        "Could {exec} see me {w}, by any chance?",
                        "Is {exec} around {w}, do you know?",
                    ],
                )
                .replace("{w}", &w),
            },
            Goal::Move => {
                let mut o = pick(
                    rng,
                    &[
                        "I'm supposed to be seeing {exec} but I need to move it.",
                        "Is there any way I could change my meeting with {exec} to a different day?",
                        "So I've got a meeting booked with {exec}, and something's come up, could we find another time?",
                    ],
                )
                .to_string();
                if volunteered && !corrected_time {
                    o.push_str(&format!(" Ideally I'd go to {w}."));
                }
                o
            }
            Goal::Cancel => pick(
                rng,
                &[
                    "I'm afraid I won't make it to my meeting with {exec}, could you cancel it for me?",
                    "Could you call off my appointment with {exec}?",
                    "I have to bail on my meeting with {exec}, sorry, can you take me off?",
                ],
            )
            .to_string(),
            Goal::Faq(id) => faq_question(rng, id),
            Goal::Person => pick(
                rng,
                &[
                    "Are you a recording? I'd like to speak with an actual human being, please.",
                    "Could you connect me with someone who works there?",
                    "Is there a real live person I could chat to?",
                ],
            )
            .to_string(),
            Goal::Urgent => pick(
                rng,
                &[
                    "{Content}, and I need {exec} on this tonight, it really can't wait.",
                    "Sorry to ring so late, but {content}. Is there any way {exec} can call me tonight?",
                    "It's an emergency: {content}. Who can I reach right now?",
                ],
            )
            .replace("{Content}", &cap(&content)),
        };
        fill(&o)
    };
    let goals = s.goals.clone();
    let first_goal = goals.first().cloned().unwrap_or(Goal::Message);
    let request = opener(&first_goal, rng, true);
    let introduces =
        (volunteered || known && rng.random_bool(0.5)) && !matches!(first_goal, Goal::Faq(_));
    let mut opening = if introduces {
        match rng.random_range(0..3) {
            0 => format!("{intro_first} {request}"),
            1 => format!("{request} {intro_late}"),
            _ => format!(
                "{intro_mid}, and {}",
                lower_first(&request, &[exec.as_str(), first.as_str()])
            ),
        }
    } else {
        request
    };
    if chatty {
        opening = format!("{small_talk} {opening}");
    }
    // How to call back is said with a request that needs it, never with a question alone.
    let callback_wanted = !matches!(first_goal, Goal::Faq(_));
    if callback_wanted && s.classes.contains(&Class::CallerIdNumber)
        || volunteered
            && matches!(first_goal, Goal::Message | Goal::Urgent | Goal::Person)
            && rng.random_bool(0.6)
    {
        opening = format!("{opening} {number_ahead}");
    }
    let next_goals = goals
        .iter()
        .skip(1)
        .map(|g| {
            let lead = pick(
                rng,
                &[
                    "Great, thanks. Oh, one more thing:",
                    "Perfect. And actually, since I've got you,",
                    "Thank you. While I'm on,",
                ],
            );
            format!("{lead} {}", lower_first(&opener(g, rng, false), &[&exec]))
        })
        .collect();
    let restate = goals
        .iter()
        .map(|g| {
            fill(&match g {
                Goal::Message => "I'd just like {exec} to get a message from me.".to_string(),
                Goal::Book | Goal::FreeThenBook => {
                    "I'm looking to set up a meeting with {exec}.".into()
                }
                Goal::Move => "I need my meeting with {exec} moved to another time.".into(),
                Goal::Cancel => "I'd like my meeting with {exec} cancelled, please.".into(),
                Goal::Faq(id) => faq_question(rng, id),
                Goal::Person => "I'd like to speak to somebody, please.".into(),
                Goal::Urgent => "It's an emergency, I need {exec} tonight.".into(),
            })
        })
        .collect();

    let name_line = if known {
        fill(pick(
            rng,
            &["{first} {last}.", "It's {first}, {first} {last}."],
        ))
    } else if spelled {
        format!("{name}. {last} is {}.", spell(&last, false))
    } else {
        fill(pick(
            rng,
            &[
                "Oh, sorry, it's {name}.",
                "Sure thing, {name}.",
                "{name}, sorry, should've said.",
                "It's {first}... {last}. {first} {last}.",
                "{name}, I'm with {company}.",
            ],
        ))
    };
    let number_line = match &s.callback {
        Callback::CallerId => pick(
            rng,
            &[
                "Oh, just use whatever number came up.",
                "This one's fine, the one I'm ringing from.",
                "Call me back on this same line.",
            ],
        )
        .to_string(),
        Callback::Spoken(d) if corrected_number => {
            let mut wrong = d.clone().into_bytes();
            let i = wrong.len() - 3;
            wrong[i] = if wrong[i] == b'9' { b'2' } else { wrong[i] + 1 };
            let wrong = String::from_utf8(wrong).unwrap_or_default();
            pick(
                rng,
                &[
                    "{w}. No wait, that's my old number, it's {n}.",
                    "{w}... hang on, I always mix that up. It's {n}.",
                    "{w}, or, no, sorry, {n}, that's the right one.",
                ],
            )
            .replace("{w}", &write_number(rng, &wrong))
            .replace("{n}", &number_said)
        }
        Callback::Spoken(_) => pick(
            rng,
            &[
                "Yeah, you can reach me at {n}.",
                "Sure, got a pen? It's {n}.",
                "{n}, that's my mobile.",
                "Oh, it's {n}.",
            ],
        )
        .replace("{n}", &number_said),
    };
    let number_digits = match &s.callback {
        Callback::Spoken(d) => d
            .chars()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join(" "),
        Callback::CallerId => String::new(),
    };

    let (when, when_again, change_mind, pick_line) = match (&full, &wrong_full, &local_wish) {
        (Some(right), Some(wrong), Some(l)) => {
            let asked = match (&vague, &first_goal) {
                // The day said vaguely with the request: the weekday now.
                (Some((_, weekday)), Goal::Book) => pick(
                    rng,
                    &[
                        "{d} would be good, say {t}.",
                        "How about {d}, {t}?",
                        "Um, {d} at {t}?",
                    ],
                )
                .replace("{d}", weekday)
                .replace("{t}", bare_time.as_deref().unwrap_or_default()),
                _ => pick(
                    rng,
                    &[
                        "{w} suits me.",
                        "How's {w}?",
                        "Let's say {w}, if that works.",
                        "I could do {w}.",
                    ],
                )
                .replace("{w}", right),
            };
            let when = if corrected_time {
                pick(
                    rng,
                    &[
                        "{x}... hang on, no, that's when I'm flying. {r}, sorry.",
                        "{x}, oh, wait, I've got a conflict then. Can we do {r}?",
                        "{x}, or, hmm, actually {r} is better.",
                    ],
                )
                .replace("{x}", &cap(wrong))
                .replace("{r}", right)
            } else if changed_mind {
                format!("{}.", cap(wrong))
            } else {
                asked
            };
            let again =
                pick(rng, &["No, I was after {w}.", "Sorry, no, {w}."]).replace("{w}", right);
            let change = changed_mind.then(|| {
                pick(
                    rng,
                    &[
                        "Ooh, actually, I just remembered I've got the dentist then. Could it be {w}?",
                        "On second thought, {w} would be easier for me.",
                        "Hmm, wait, can we go with {w} instead? Sorry to be a pain.",
                    ],
                )
                .replace("{w}", right)
            });
            let t = pick_time(l.time());
            let pick_line = pick(
                rng,
                &[
                    "{t} is perfect, let's do that.",
                    "Oh, {t}, please.",
                    "I'll grab {t}.",
                ],
            )
            .replace("{t}", &t);
            (cap(&when), again, change, cap(&pick_line))
        }
        _ => Default::default(),
    };
    // "Is Alex free Monday morning?": asked the day and time, the caller gives the time.
    let when = match (&day_part, &bare_time) {
        (Some(_), Some(t)) => cap(&pick(
            rng,
            &["Could you put me down for {t}?", "{t}, if that's free."],
        )
        .replace("{t}", t)),
        _ => when,
    };
    let booked_when = s
        .existing
        .as_ref()
        .map(|e| {
            pick(rng, &["I think it was {w}.", "It was for {w}, I believe."])
                .replace("{w}", &write_when(rng, persona, now, e.start, None))
        })
        .unwrap_or_default();
    let message_line = fill(pick(
        rng,
        &[
            "Oh, just that {content}. Thanks so much, I really appreciate it.",
            "Tell {exec} {content}, and thanks a million.",
            "Right, so, {content}. That's all, thank you!",
            "Just say {content}, {exec} will know what it's about.",
        ],
    ));
    let purpose_line = fill(pick(
        rng,
        &[
            "Oh, {p}, mainly.",
            "It's to do with {p}.",
            "{P}, if that makes sense.",
            "Um, we're going through {p}, I'd like {exec}'s take on it.",
        ],
    ))
    .replace("{P}", &cap(&purpose));

    // An answer to another question than the one asked, for some callers.
    let books = matches!(first_goal, Goal::Book | Goal::FreeThenBook);
    let aside = if known || zone.is_some() || !rng.random_bool(0.25) {
        None
    } else if books && !corrected_time && !changed_mind {
        match (rng.random_range(0..2), &full) {
            (0, Some(w)) if vague.is_none() => Some(Aside {
                at: Asked::Purpose,
                say: format!("Oh, {w} would be ideal for me."),
            }),
            _ => Some(Aside {
                at: Asked::Spelling,
                say: fill(pick(
                    rng,
                    &["Oh, it's about {p}.", "Sorry, it's regarding {p}."],
                )),
            }),
        }
    } else if matches!(first_goal, Goal::Message) && !number_said.is_empty() {
        Some(Aside {
            at: Asked::Name,
            say: format!("Oh, um, you can reach me at {number_said}."),
        })
    } else {
        None
    };

    s.lines = Lines {
        opening,
        next_goals,
        restate,
        name: name_line,
        name_fix: pick(
            rng,
            &[
                "You've got my name wrong, it's {name}.",
                "That's not my name, it's {name}.",
            ],
        )
        .replace("{name}", &name),
        spelling: format!("{last}: {}.", spell(&last, rng.random_bool(0.5))),
        spelling_full: format!(
            "Sure, first name {}, last name {}.",
            spell(&first, rng.random_bool(0.5)),
            spell(&last, false)
        ),
        booked_when,
        number: number_line,
        number_digits,
        number_fix: match &s.callback {
            Callback::CallerId => "No, whatever number showed up when I called.".into(),
            Callback::Spoken(_) => format!("That's not it, it should be {number_said}."),
        },
        message: message_line,
        purpose: purpose_line,
        when,
        when_again,
        change_mind,
        pick: pick_line,
        yes: pick(
            rng,
            &[
                "Yes please, go ahead.",
                "That's right, yeah.",
                "Yup, spot on.",
                "You got it.",
                "Uh-huh, that's it.",
                "Lovely, yes, thank you.",
            ],
        )
        .into(),
        yes_again: "Yeah, yes, that's all correct.".into(),
        no: pick(
            rng,
            &[
                "Hmm, no, that's not it.",
                "No, you've got that wrong.",
                "Uh, no.",
            ],
        )
        .into(),
        decline: pick(
            rng,
            &[
                "No, don't worry about it.",
                "Nah, that's okay, thanks though.",
            ],
        )
        .into(),
        bye: pick(
            rng,
            &[
                "No, that's great, thanks a lot. Have a good night!",
                "That's all I needed, you've been super helpful.",
                "Nope, we're good. Take care!",
            ],
        )
        .into(),
        give_up: "Okay, sure, that's fine.".into(),
        want_message: pick(
            rng,
            &["Just take a message, I guess.", "A note's fine then."],
        )
        .into(),
        want_person: "I really need to talk to somebody tonight.".into(),
        aside,
    };
    s.id = s.id.replacen('c', "k", 1);
    s
}

/// An FAQ asked in this phrasebook's own words.
fn faq_question(rng: &mut StdRng, id: &str) -> String {
    let forms: &[&str] = match id {
        "hours" => &[
            "What hours do you keep?",
            "Is the office open over the weekend?",
            "Till when are you open on weekdays?",
        ],
        "address" => &[
            "Remind me, what's your address?",
            "I'm putting you into my GPS, what street are you on?",
            "Whereabouts is the office?",
        ],
        "parking" => &[
            "Will I be able to find parking if I drive in?",
            "Do you validate parking?",
            "Is there a garage near you I can use?",
        ],
        "documents" => &[
            "Where should the signed paperwork go?",
            "I need to send you some forms, what's the email for that?",
            "Once the contract's signed, where do I send it?",
        ],
        "press" => &[
            "I'm with a local TV station, who's your media contact?",
            "Who should a journalist get in touch with there?",
        ],
        "jobs" => &[
            "Is the company taking on new people?",
            "How would I go about applying for a job with you?",
            "Do you have any vacancies?",
        ],
        _ => &["I had a question."],
    };
    pick(rng, forms).to_string()
}
