//! The held-out phrasebook: a second, independent way of saying everything a corpus caller
//! says, written apart from the generator's templates so the dialog cannot have been fitted to
//! it.
//!
//! The facts (who calls, what they want, the wished instant, the expected result) come from
//! [`super::generate`] with [`HELDOUT_SEED`]; only the words change. Every line is rewritten as
//! whisper writes speech (digits, "3pm", "4th", "415-555-0199"): other openings ("Hi, yeah, is
//! Alex around?"), fillers and false starts, indirect requests ("Could you let Alex know…"),
//! several facts in one turn in varied order, answers to questions not yet asked, corrections in
//! other words ("scratch that", "wait, sorry, I meant", "make that"), relative dates ("a week
//! from Tuesday", "first thing Monday", "the 15th"), the caller's own zone in other words
//! ("Pacific", "UK time") and other confirmations and goodbyes. The reactive [`super::Caller`]
//! plays these lines exactly as it plays the generator's, so the same checks apply.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

use super::{generate, instant, Callback, FactSheet, Goal, Lines, Wish};
use crate::logic::calendar::ordinal;
use crate::persona::Persona;

/// The seed of the held-out phrasebook's facts and wording.
pub const HELDOUT_SEED: u64 = 0x4E1D_0BAD;

/// Calls in the held-out phrasebook run.
pub const HELDOUT_CALLS: usize = 80;

/// Which words the callers use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phrasebook {
    /// The generator's own templates (the standard corpus).
    Corpus,
    /// The held-out phrasebook: other wording for the same kinds of facts.
    Heldout,
    /// A second held-out phrasebook (`corpus::heldout2`), written apart from both.
    Heldout2,
    /// A third held-out phrasebook (`corpus::heldout3`), written apart from all three.
    Heldout3,
    /// A fourth held-out phrasebook (`corpus::heldout4`), written apart from all four.
    Heldout4,
    /// A fifth held-out phrasebook (`corpus::heldout5`), written apart from all five.
    Heldout5,
    /// A sixth held-out phrasebook (`corpus::heldout6`), written apart from all six.
    Heldout6,
    /// A seventh held-out phrasebook (`corpus::heldout7`), written apart from all seven.
    Heldout7,
    /// An eighth held-out phrasebook (`corpus::heldout8`), written apart from all eight.
    Heldout8,
    /// A ninth held-out phrasebook (`corpus::heldout9`), written apart from all nine.
    Heldout9,
}

impl std::str::FromStr for Phrasebook {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "corpus" => Ok(Phrasebook::Corpus),
            "heldout" => Ok(Phrasebook::Heldout),
            "heldout2" => Ok(Phrasebook::Heldout2),
            "heldout3" => Ok(Phrasebook::Heldout3),
            "heldout4" => Ok(Phrasebook::Heldout4),
            "heldout5" => Ok(Phrasebook::Heldout5),
            "heldout6" => Ok(Phrasebook::Heldout6),
            "heldout7" => Ok(Phrasebook::Heldout7),
            "heldout8" => Ok(Phrasebook::Heldout8),
            "heldout9" => Ok(Phrasebook::Heldout9),
            other => Err(format!(
                "no phrasebook {other:?} (corpus, heldout, heldout2, heldout3, heldout4, heldout5, heldout6, heldout7, heldout8, heldout9)"
            )),
        }
    }
}

/// Calls in the standard corpus run (`Phrasebook::Corpus`).
pub const CORPUS_CALLS: usize = 180;

impl Phrasebook {
    /// This phrasebook's calls as the tests and benches play them: its own seed and count
    /// (the corpus: [`CORPUS_CALLS`] from [`super::CORPUS_SEED`]).
    pub fn sheets(self, persona: &Persona, now: DateTime<Utc>) -> Vec<FactSheet> {
        use super::{
            heldout2, heldout3, heldout4, heldout5, heldout6, heldout7, heldout8, heldout9,
            CORPUS_SEED, HELDOUT2_CALLS, HELDOUT2_SEED, HELDOUT3_CALLS, HELDOUT3_SEED,
            HELDOUT4_CALLS, HELDOUT4_SEED, HELDOUT5_CALLS, HELDOUT5_SEED, HELDOUT6_CALLS,
            HELDOUT6_SEED, HELDOUT7_CALLS, HELDOUT7_SEED, HELDOUT8_CALLS, HELDOUT8_SEED,
            HELDOUT9_CALLS, HELDOUT9_SEED,
        };
        match self {
            Phrasebook::Corpus => generate(persona, now, CORPUS_SEED, CORPUS_CALLS),
            Phrasebook::Heldout => heldout(persona, now, HELDOUT_SEED, HELDOUT_CALLS),
            Phrasebook::Heldout2 => heldout2(persona, now, HELDOUT2_SEED, HELDOUT2_CALLS),
            Phrasebook::Heldout3 => heldout3(persona, now, HELDOUT3_SEED, HELDOUT3_CALLS),
            Phrasebook::Heldout4 => heldout4(persona, now, HELDOUT4_SEED, HELDOUT4_CALLS),
            Phrasebook::Heldout5 => heldout5(persona, now, HELDOUT5_SEED, HELDOUT5_CALLS),
            Phrasebook::Heldout6 => heldout6(persona, now, HELDOUT6_SEED, HELDOUT6_CALLS),
            Phrasebook::Heldout7 => heldout7(persona, now, HELDOUT7_SEED, HELDOUT7_CALLS),
            Phrasebook::Heldout8 => heldout8(persona, now, HELDOUT8_SEED, HELDOUT8_CALLS),
            Phrasebook::Heldout9 => heldout9(persona, now, HELDOUT9_SEED, HELDOUT9_CALLS),
        }
    }

    /// What the phrasebook is called in a report ("fifth held-out phrasebook").
    pub fn describe(self) -> &'static str {
        match self {
            Phrasebook::Corpus => "corpus",
            Phrasebook::Heldout => "held-out phrasebook",
            Phrasebook::Heldout2 => "second held-out phrasebook",
            Phrasebook::Heldout3 => "third held-out phrasebook",
            Phrasebook::Heldout4 => "fourth held-out phrasebook",
            Phrasebook::Heldout5 => "fifth held-out phrasebook",
            Phrasebook::Heldout6 => "sixth held-out phrasebook",
            Phrasebook::Heldout7 => "seventh held-out phrasebook",
            Phrasebook::Heldout8 => "eighth held-out phrasebook",
            Phrasebook::Heldout9 => "ninth held-out phrasebook",
        }
    }
}

/// `n` held-out calls: the generator's facts from `seed`, every line said the held-out way.
pub fn heldout(persona: &Persona, now: DateTime<Utc>, seed: u64, n: usize) -> Vec<FactSheet> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5EED_F00D);
    generate(persona, now, seed, n)
        .into_iter()
        .map(|sheet| rephrase(persona, now, &mut rng, sheet))
        .collect()
}

pub(super) fn pick<'a>(rng: &mut StdRng, xs: &[&'a str]) -> &'a str {
    xs.choose(rng).copied().unwrap_or("")
}

pub(super) fn cap(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// A number as whisper writes it.
fn write_number(rng: &mut StdRng, d: &str) -> String {
    if d.len() != 10 {
        return match rng.random_range(0..2) {
            0 => format!("+44 20 7946 {}", &d[8..]),
            _ => format!("44 20 7946 {}", &d[8..]),
        };
    }
    let (a, b, c) = (&d[..3], &d[3..6], &d[6..]);
    match rng.random_range(0..5) {
        0 => format!("{a}-{b}-{c}"),
        1 => format!("({a}) {b}-{c}"),
        2 => format!("{a}.{b}.{c}"),
        3 => format!("1-{a}-{b}-{c}"),
        _ => format!("{a} {b} {c}"),
    }
}

/// A clock time as whisper writes it: "3pm", "3:30 p.m.", "10am", "noon".
fn write_time(rng: &mut StdRng, t: NaiveTime) -> String {
    let (h, m) = (t.hour(), t.minute());
    if h == 12 && m == 0 {
        return pick(rng, &["noon", "12pm", "midday"]).to_string();
    }
    let h12 = if h > 12 { h - 12 } else { h };
    let (ampm, dotted) = if h < 12 {
        ("am", "a.m.")
    } else {
        ("pm", "p.m.")
    };
    let clock = if m == 0 {
        h12.to_string()
    } else {
        format!("{h12}:{m:02}")
    };
    match rng.random_range(0..4) {
        0 => format!("{clock}{ampm}"),
        1 => format!("{clock} {dotted}"),
        2 if m == 0 => format!(
            "{h12} o'clock {}",
            if h < 12 {
                "in the morning"
            } else {
                "in the afternoon"
            }
        ),
        _ => format!("{clock} {}", ampm.to_uppercase()),
    }
}

/// A day as people name it relative to `today`.
fn write_day(rng: &mut StdRng, date: NaiveDate, today: NaiveDate, foreign: bool) -> String {
    let ahead = (date - today).num_days();
    let weekday = date.format("%A").to_string();
    let month = date.format("%B").to_string();
    let nth = ordinal(date.day());
    let next_monday = today + Duration::days(7 - today.weekday().num_days_from_monday() as i64);
    let mut forms = vec![
        format!("{weekday} the {nth}"),
        format!("{month} {nth}"),
        format!("{weekday}, {month} {}", date.day()),
    ];
    if ahead < 28 {
        forms.push(format!("the {nth}"));
    }
    if ahead == 1 && !foreign {
        forms.push("tomorrow".into());
    }
    if ahead == 2 && !foreign {
        forms.push("the day after tomorrow".into());
    }
    if date < next_monday {
        forms.push(format!("this coming {weekday}"));
    }
    if date >= next_monday && date < next_monday + Duration::days(7) {
        forms.push(format!("{weekday} next week"));
        forms.push(format!("next {weekday}"));
    }
    if date >= next_monday + Duration::days(7) && date < next_monday + Duration::days(14) {
        forms.push(format!("{weekday} after next"));
    }
    // "A week from Thursday": that weekday's next coming, plus seven days.
    let base = date - Duration::days(7);
    if base > today && base < today + Duration::days(7) {
        forms.push(format!("a week from {weekday}"));
    }
    forms.choose(rng).cloned().unwrap_or_default()
}

/// Names for a caller's zone, and where they say they are.
fn zone_words(tz: Tz) -> (&'static [&'static str], &'static str) {
    match tz {
        chrono_tz::Europe::London => (&["London time", "UK time", "British time"], "London"),
        chrono_tz::Europe::Dublin => (&["Dublin time", "Irish time"], "Dublin"),
        chrono_tz::America::Denver => (&["Mountain", "Mountain time", "Denver time"], "Denver"),
        chrono_tz::America::Chicago => (&["Central", "Central time", "Chicago time"], "Chicago"),
        chrono_tz::America::Los_Angeles => (&["Pacific", "West Coast time", "Pacific time"], "LA"),
        chrono_tz::Africa::Lagos => (&["Lagos time", "Nigeria time"], "Lagos"),
        _ => (&["my time"], "town"),
    }
}

/// A start said the held-out way, in the caller's zone `zone` (or the persona's).
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
    let day = write_day(rng, local.date(), today, zone.is_some());
    let time = write_time(rng, local.time());
    match zone {
        None => {
            let nine = local.time() == NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default();
            if nine && !day.starts_with("the ") && rng.random_bool(0.7) {
                return format!("first thing {day}");
            }
            match rng.random_range(0..4) {
                0 => format!("{time} {day}"),
                1 => format!("{day}, say {time}"),
                _ => format!("{day} at {time}"),
            }
        }
        Some(tz) => {
            let (names, city) = zone_words(tz);
            let zname = pick(rng, names);
            match rng.random_range(0..3) {
                0 => format!("{day} at {time} {zname}"),
                1 => format!("{day} at {time} my time, I'm out in {city}"),
                _ => format!("{time} {zname} on {day}"),
            }
        }
    }
}

/// Another start for a caller to say first and take back: a day earlier or later, two hours off.
fn wrong_start(persona: &Persona, now: DateTime<Utc>, wish: &Wish) -> DateTime<Utc> {
    let ptz = persona.timezone;
    let local = wish.start.with_timezone(&ptz).naive_local();
    let mut date = local.date();
    for step in [-1i64, 1, 2, 3] {
        let d = local.date() + Duration::days(step);
        let later = instant(ptz, d.and_time(local.time())) - now > Duration::hours(14);
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && later {
            date = d;
            break;
        }
    }
    let hour = if local.hour() >= 13 {
        local.hour() - 2
    } else {
        local.hour() + 2
    };
    let t = NaiveTime::from_hms_opt(hour, local.minute(), 0).unwrap_or(local.time());
    instant(ptz, date.and_time(t))
}

/// Both names spelled as whisper writes a spelling: "Deepa, D-E-E-P-A".
fn dashed(word: &str) -> String {
    super::generate::letters(word, "-")
}

fn rephrase(
    persona: &Persona,
    now: DateTime<Utc>,
    rng: &mut StdRng,
    mut s: FactSheet,
) -> FactSheet {
    use super::Class;
    let exec = persona.executive_first().to_string();
    let name = s.name.clone();
    let (first, last) = name.split_once(' ').unwrap_or((name.as_str(), ""));
    let (first, last) = (first.to_string(), last.to_string());
    let company = s.company.clone();
    let known = s.classes.contains(&Class::KnownContact) || s.classes.contains(&Class::Vip);
    let spelled = s.classes.contains(&Class::SpelledName);
    let volunteered = s.classes.contains(&Class::Volunteered);
    let corrected_time = s.classes.contains(&Class::CorrectedTime);
    let changed_mind = s.classes.contains(&Class::ChangedMind);
    let corrected_number = s.classes.contains(&Class::CorrectedNumber);
    let content = s.content.clone();
    let purpose = s.purpose.clone();

    // The wish, said again.
    let zone = s.wish.as_ref().and_then(|w| w.zone);
    let wish_said = s
        .wish
        .as_ref()
        .map(|w| write_when(rng, persona, now, w.start, zone));
    let wrong_said = s.wish.as_ref().map(|w| {
        let wrong = wrong_start(persona, now, w);
        write_when(rng, persona, now, wrong, zone)
    });
    if let (Some(w), Some(said)) = (s.wish.as_mut(), &wish_said) {
        w.spoken = said.clone();
    }
    let number_said = match &s.callback {
        Callback::Spoken(d) => write_number(rng, d),
        Callback::CallerId => String::new(),
    };

    let intro = if known {
        pick(
            rng,
            &[
                "Hey, it's {first} again.",
                "{first} {last} again, hi.",
                "Hi, {first} {last} calling back.",
            ],
        )
        .to_string()
    } else if spelled {
        pick(
            rng,
            &[
                "I'm {name}, last name {dashed}.",
                "{name} here, that's {dashed}, from {company}.",
            ],
        )
        .replace("{dashed}", &dashed(&last))
    } else {
        pick(
            rng,
            &[
                "This is {name} with {company}.",
                "{name} here, I'm at {company}.",
                "Hi, it's {name} from over at {company}.",
                "Um, my name's {name}, {company}.",
            ],
        )
        .to_string()
    }
    .replace("{first}", &first)
    .replace("{last}", &last)
    .replace("{name}", &name)
    .replace("{company}", company.as_deref().unwrap_or("Northwind"));

    let number_ahead = match &s.callback {
        Callback::CallerId => pick(
            rng,
            &[
                "You can reach me on this line.",
                "This number's fine for a callback.",
                "Just call me back on the number I'm on now.",
            ],
        )
        .to_string(),
        Callback::Spoken(_) => pick(
            rng,
            &[
                "Best number for me is {n}.",
                "You can get me on {n}.",
                "I'm on {n}.",
            ],
        )
        .replace("{n}", &number_said),
    };
    let content_ahead = pick(
        rng,
        &[
            "Could you let {exec} know that {content}?",
            "Can you pass along that {content}?",
            "So basically I just need {exec} to hear that {content}.",
            "Um, I wanted {exec} to know {content}.",
        ],
    )
    .replace("{exec}", &exec)
    .replace("{content}", &content);

    let opener = |g: &Goal, rng: &mut StdRng, first_goal: bool| -> String {
        let w = if first_goal && changed_mind {
            wrong_said.clone()
        } else {
            wish_said.clone()
        }
        .unwrap_or_default();
        match g {
            Goal::Message if volunteered => content_ahead.clone(),
            Goal::Message => pick(
                rng,
                &[
                    "Hi, yeah, is {exec} around?",
                    "Hey there, I was hoping to catch {exec}.",
                    "Um, I've got something I need {exec} to hear.",
                    "Yeah hi, can I leave word for {exec}?",
                ],
            )
            .to_string(),
            Goal::Book => {
                let mut o = pick(
                    rng,
                    &[
                        "I need to get on {exec}'s calendar.",
                        "Um, can I grab some time with {exec}?",
                        "Hi, so I'm trying to set something up with {exec}.",
                        "Is there any way to get half an hour with {exec}?",
                    ],
                )
                .to_string();
                if volunteered {
                    o.push_str(&format!(
                        " {}",
                        pick(
                            rng,
                            &[
                                "It's regarding {p}.",
                                "We need to go through {p}.",
                                "It's to talk about {p}."
                            ]
                        )
                        .replace("{p}", &purpose)
                    ));
                    if !corrected_time && rng.random_bool(0.5) {
                        o.push_str(&format!(" Something like {w} would suit me."));
                    }
                }
                o
            }
            Goal::FreeThenBook => pick(
                rng,
                &[
                    "Hi, does {exec} have anything open {w}?",
                    "Quick question, is {exec} around {w}? I'd love to grab a meeting.",
                    "Any chance {exec} is free {w}?",
                ],
            )
            .replace("{w}", &w),
            Goal::Move => {
                let mut o = pick(
                    rng,
                    &[
                        "Hey, I've got a meeting with {exec} I need to push.",
                        "Something came up and I have to reschedule with {exec}.",
                        "I need to shift my appointment, if that's possible.",
                    ],
                )
                .to_string();
                if volunteered && !corrected_time {
                    o.push_str(&format!(" Can we push it to {w}?"));
                }
                o
            }
            Goal::Cancel => pick(
                rng,
                &[
                    "Hi, I'm gonna have to cancel on {exec}.",
                    "I can't make my appointment anymore, can you take it off the calendar?",
                    "Please scrap my meeting with {exec}, something came up.",
                ],
            )
            .to_string(),
            Goal::Faq(id) => faq_question(rng, id),
            Goal::Person => pick(
                rng,
                &[
                    "Is there anybody there I could actually talk to?",
                    "Can you transfer me to a human?",
                    "I'd rather talk to someone live, please.",
                ],
            )
            .to_string(),
            Goal::Urgent => format!(
                "{} {}.",
                pick(
                    rng,
                    &[
                        "Hi, this is really urgent, I have to reach {exec} tonight.",
                        "I need {exec} to call me back tonight, it's an emergency.",
                        "Is there any way to get hold of {exec} right now? It can't wait till morning.",
                    ],
                ),
                cap(&content)
            ),
        }
        .replace("{exec}", &exec)
    };
    let goals = s.goals.clone();
    let first_goal = goals.first().cloned().unwrap_or(Goal::Message);
    let mut opening = opener(&first_goal, rng, true);
    if (volunteered || known && rng.random_bool(0.5)) && !matches!(first_goal, Goal::Faq(_)) {
        opening = if rng.random_bool(0.5) {
            format!("{intro} {opening}")
        } else {
            format!("{opening} Oh, and {}", lower_first(&intro))
        };
    }
    if s.classes.contains(&Class::CallerIdNumber)
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
                    "Oh, and while I have you,",
                    "Yeah actually, one other thing.",
                    "Um, yes.",
                ],
            );
            format!("{lead} {}", opener(g, rng, false))
        })
        .collect();
    let restate = goals
        .iter()
        .map(|g| {
            match g {
                Goal::Message => "I just want to leave {exec} a message.".to_string(),
                Goal::Book | Goal::FreeThenBook => "I'm trying to book a time with {exec}.".into(),
                Goal::Move => "I need to change the time of my meeting.".into(),
                Goal::Cancel => "I need to cancel my meeting with {exec}.".into(),
                Goal::Faq(id) => faq_question(rng, id),
                Goal::Person => "I'd like to talk to an actual person.".into(),
                Goal::Urgent => "This is urgent, I need to reach {exec} tonight.".into(),
            }
            .replace("{exec}", &exec)
        })
        .collect();

    let name_line = if known {
        format!("It's {name}.")
    } else if spelled {
        format!("{name}, {}.", dashed(&last))
    } else {
        let mut n = pick(
            rng,
            &[
                "Yeah, it's {name}.",
                "Sure, {name}.",
                "{first}, {first} {last}.",
                "Um, {name}, with {company}.",
                "Name's {name}.",
            ],
        )
        .replace("{first}", &first)
        .replace("{last}", &last)
        .replace("{name}", &name)
        .replace("{company}", company.as_deref().unwrap_or("Northwind"));
        // Answering a question not asked yet.
        if !number_said.is_empty() && rng.random_bool(0.3) {
            n.push_str(&format!(" And my number's {number_said}."));
        }
        n
    };
    let number_line = match &s.callback {
        Callback::CallerId => pick(
            rng,
            &[
                "Just use this number.",
                "The one I'm calling on is fine.",
                "Same as what's showing up on your end.",
            ],
        )
        .to_string(),
        Callback::Spoken(d) if corrected_number => {
            let mut wrong = d.clone().into_bytes();
            let i = wrong.len() - 2;
            wrong[i] = if wrong[i] == b'9' { b'1' } else { wrong[i] + 1 };
            let wrong = String::from_utf8(wrong).unwrap_or_default();
            format!(
                "{}, {} {number_said}.",
                write_number(rng, &wrong),
                pick(
                    rng,
                    &[
                        "sorry, scratch that, it's",
                        "wait, sorry, I meant",
                        "no, make that"
                    ]
                )
            )
        }
        Callback::Spoken(_) => pick(
            rng,
            &[
                "Sure, it's {n}.",
                "{n}.",
                "Best number is {n}.",
                "Um, {n}, that's my cell.",
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
    let when_line = |rng: &mut StdRng, w: &str| {
        pick(
            rng,
            &[
                "Um, {w}?",
                "{W} works for me.",
                "Could we say {w}?",
                "Does {w} work?",
            ],
        )
        .replace("{w}", w)
        .replace("{W}", &cap(w))
    };
    let (when, when_again, change_mind, pick_line) = match (&wish_said, &wrong_said, &s.wish) {
        (Some(right), Some(wrong), Some(w)) => {
            let when = if corrected_time {
                format!(
                    "{}, {} {right}.",
                    cap(wrong),
                    pick(
                        rng,
                        &["scratch that,", "wait, sorry, I meant", "no, make that"]
                    )
                )
            } else if changed_mind {
                when_line(rng, wrong)
            } else {
                when_line(rng, right)
            };
            let again = pick(rng, &["Not quite, I said {w}.", "No, {w}."]).replace("{w}", right);
            let change = changed_mind.then(|| {
                pick(
                    rng,
                    &[
                        "Hmm, actually, could we do {w} instead?",
                        "Oh wait, can you make that {w}? Sorry.",
                        "Sorry, I just checked, {w} would be better.",
                    ],
                )
                .replace("{w}", right)
            });
            let t = w.start.with_timezone(&persona.timezone).time();
            let clock = if t.minute() == 0 {
                format!(
                    "{}{}",
                    if t.hour() > 12 {
                        t.hour() - 12
                    } else {
                        t.hour()
                    },
                    if t.hour() < 12 { "am" } else { "pm" }
                )
            } else {
                format!(
                    "{}:{:02}{}",
                    if t.hour() > 12 {
                        t.hour() - 12
                    } else {
                        t.hour()
                    },
                    t.minute(),
                    if t.hour() < 12 { "am" } else { "pm" }
                )
            };
            let pick_line = pick(rng, &["I'll take {t}.", "{t} works."]).replace("{t}", &clock);
            (when, again, change, cap(&pick_line))
        }
        _ => Default::default(),
    };
    let booked_when = s
        .existing
        .as_ref()
        .map(|e| format!("Um, it's {}.", write_when(rng, persona, now, e.start, None)))
        .unwrap_or_default();
    let message_line = pick(
        rng,
        &[
            "Yeah, just that {content}.",
            "Can you tell {exec} {content}?",
            "Um, so basically, {content}.",
            "Just let {exec} know {content}. That's it.",
        ],
    )
    .replace("{exec}", &exec)
    .replace("{content}", &content);
    let purpose_line = pick(
        rng,
        &[
            "It's regarding {p}.",
            "Just {p}.",
            "We wanna go over {p}.",
            "To talk about {p}, basically.",
        ],
    )
    .replace("{p}", &purpose);
    let (first_spell, last_spell) = (dashed(&first), dashed(&last));
    s.lines = Lines {
        opening,
        next_goals,
        restate,
        name: name_line,
        name_fix: pick(rng, &["Not quite, it's {name}.", "No no, {name}."])
            .replace("{name}", &name),
        spelling: format!("Sure, {last}, {last_spell}."),
        spelling_full: format!("{first_spell}, {last_spell}."),
        booked_when,
        number: number_line,
        number_digits,
        number_fix: match &s.callback {
            Callback::CallerId => "No, just use the number I'm on right now.".into(),
            Callback::Spoken(_) => format!("No, it's {number_said}."),
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
                "Yeah, that works.",
                "Sounds good.",
                "Perfect.",
                "Yep, that's it.",
                "Mhm, correct.",
            ],
        )
        .into(),
        yes_again: "Yes, that's correct.".into(),
        no: pick(rng, &["Nope.", "Not quite.", "No, that's wrong."]).into(),
        decline: pick(
            rng,
            &["Nah, I'm good.", "No, that's fine.", "I'm okay, thanks."],
        )
        .into(),
        bye: pick(
            rng,
            &[
                "That's everything, cheers.",
                "Nope, that's it. Thanks, bye.",
                "No, I'm all set, thank you.",
            ],
        )
        .into(),
        give_up: "Fine, whatever.".into(),
        want_message: pick(rng, &["I'll leave a message then.", "Message is fine."]).into(),
        want_person: "I'd like to talk to someone, please.".into(),
        aside: None,
    };
    s.id = s.id.replacen('c', "h", 1);
    s
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// An FAQ asked in words of the held-out phrasebook's own.
fn faq_question(rng: &mut StdRng, id: &str) -> String {
    let forms: &[&str] = match id {
        "hours" => &[
            "Hey, what time does the office open tomorrow?",
            "How late are you guys open?",
            "Um, are you open on Saturdays?",
        ],
        "address" => &[
            "What's the street address for you guys?",
            "Hi, where are you located exactly?",
            "Sorry, where's the office again?",
        ],
        "parking" => &[
            "Is there parking at the building?",
            "Um, can I park there when I come in?",
            "Where do visitors park?",
        ],
        "documents" => &[
            "I've got some paperwork to send over, where does it go?",
            "Which email should I send the signed documents to?",
            "How do I get a contract over to you?",
        ],
        "press" => &[
            "Hi, I'm a journalist, who do I contact for a statement?",
            "I'm calling from a newspaper, who handles media requests?",
        ],
        "jobs" => &[
            "Are there any open positions at the company?",
            "Hi, I wanted to ask about working there, are you hiring?",
            "Where would I send a CV?",
        ],
        _ => &["I had a question."],
    };
    pick(rng, forms).to_string()
}
