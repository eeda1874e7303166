//! The third held-out phrasebook: the generator's facts said by callers who follow none of the
//! earlier scripts, written before reading the dialog's code.
//!
//! The facts (who calls, what they want, the wished instant, the expected result) come from
//! [`super::generate`] with [`HELDOUT3_SEED`]; the words and some habits are new:
//! - polite British, Irish, Indian and Australian English ("I was hoping to have a word with
//!   Alex", "could you kindly", "I'd like to fix an appointment", "reckon", "in the arvo");
//!   assistants ringing on behalf of their boss, who give their own name when asked;
//! - days as "Tuesday week", "the day after tomorrow", "the 3rd" alone, "Thursday the 10th";
//!   a vague span with the request ("early next week", "end of next week") made precise later;
//!   times as "2pm", "half 2", "2:30 p.m.", "2-ish"; the reason said after the time;
//! - corrections in one breath ("Tuesday, sorry, Wednesday"), a read-back refused by restating
//!   only the wrong part ("no, Wednesday, not Tuesday", "no, the last four are 0199"), an offered
//!   time refused with "nothing later?";
//! - callers who open with a question and then leave a message, messages in two sentences
//!   joined by "also", numbers partly in words, "same as the caller ID";
//! - once, for some callers, "sorry, what was that?" where a time is proposed or a message read
//!   back ([`Asked::Proposal`], [`Asked::ReadBack`]), or the message given where the name was
//!   asked.
//!
//! The reactive [`super::Caller`] plays these lines exactly as it plays the generator's, so the
//! same checks apply.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

use super::phrasebook::{cap, pick};
use super::phrasebook2::{lower_first, spell, wrong_start};
use super::{digits, generate, Aside, Asked, Callback, Class, FactSheet, Goal, Lines};
use crate::logic::calendar::ordinal;
use crate::persona::Persona;

/// The seed of the third held-out phrasebook's facts and wording.
pub const HELDOUT3_SEED: u64 = 0x3B0D_5EA7;

/// Calls in the third held-out phrasebook run.
pub const HELDOUT3_CALLS: usize = 80;

/// `n` calls of the third held-out phrasebook: the generator's facts from `seed`, every line
/// said its way.
pub fn heldout3(persona: &Persona, now: DateTime<Utc>, seed: u64, n: usize) -> Vec<FactSheet> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x0C0F_FEE5);
    generate(persona, now, seed, n)
        .into_iter()
        .map(|sheet| rephrase(persona, now, &mut rng, sheet))
        .collect()
}

/// A phone number as whisper writes it when the caller says some groups in words.
fn write_number(rng: &mut StdRng, d: &str) -> String {
    if d.len() != 10 {
        let tail = &d[8..];
        return match rng.random_range(0..2) {
            0 => format!("0044 20 7946 {tail}"),
            _ => format!("plus 44, 20 7946 {tail}"),
        };
    }
    let (a, b, c) = (&d[..3], &d[3..6], &d[6..]);
    let words: Vec<&str> = c
        .chars()
        .map(|ch| match ch {
            '0' => "oh",
            '1' => "one",
            '2' => "two",
            '3' => "three",
            '4' => "four",
            '5' => "five",
            '6' => "six",
            '7' => "seven",
            '8' => "eight",
            _ => "nine",
        })
        .collect();
    match rng.random_range(0..4) {
        0 => format!("{a}, {b}, {}", words.join(" ")),
        1 => format!("{a}.{b}.{c}"),
        2 => format!("({a}) {b}-{c}"),
        _ => format!("{a} {b} {c}"),
    }
}

/// A clock time as these callers say it: "2pm", "half 2", "2:30 p.m.", "2-ish in the
/// afternoon", "2 in the arvo".
fn write_time(rng: &mut StdRng, t: NaiveTime) -> String {
    let (h, m) = (t.hour(), t.minute());
    let h12 = if h > 12 { h - 12 } else { h };
    if h == 12 && m == 0 {
        return pick(rng, &["midday", "12 midday", "12pm"]).to_string();
    }
    let ampm = if h < 12 { "am" } else { "pm" };
    let part = if h < 12 { "morning" } else { "afternoon" };
    match (m, rng.random_range(0..4)) {
        (0, 0) => format!("{h12}{ampm}"),
        (0, 1) => format!("{h12} p.m.").replace("p.m.", if h < 12 { "a.m." } else { "p.m." }),
        (0, 2) if h >= 12 => format!("{h12} in the arvo"),
        (0, _) => format!("{h12}-ish in the {part}"),
        (_, 0) => format!("{h12}:{m:02}{ampm}"),
        (_, 1) if h >= 12 => format!("half {h12} in the afternoon"),
        (_, 2) => format!("{h12}:{m:02} in the {part}"),
        _ => format!("{h12}.{m:02}{ampm}"),
    }
}

/// The Monday of the week after `today`'s.
fn next_monday(today: NaiveDate) -> NaiveDate {
    today + Duration::days(7 - today.weekday().num_days_from_monday() as i64)
}

/// A day named from `today` the way these callers name it, precise on its own.
fn write_day(rng: &mut StdRng, date: NaiveDate, today: NaiveDate) -> String {
    let ahead = (date - today).num_days();
    let weekday = date.format("%A").to_string();
    let month = date.format("%B").to_string();
    let nth = ordinal(date.day());
    let mut forms = vec![format!("{weekday} the {nth}"), format!("{month} the {nth}")];
    // "The 3rd" alone: the next day of the month so numbered.
    if ahead < 28 {
        forms.push(format!("the {nth}"));
    }
    if ahead == 1 {
        forms.push("tomorrow".into());
    }
    if ahead == 2 {
        forms.push("the day after tomorrow".into());
    }
    if date < next_monday(today) && ahead >= 1 {
        forms.push(format!("this {weekday}"));
    }
    // "Tuesday week": a week after the coming Tuesday.
    let coming = today
        + Duration::days(
            (7 + date.weekday().num_days_from_monday() as i64
                - today.weekday().num_days_from_monday() as i64)
                % 7,
        );
    let coming = if coming == today {
        coming + Duration::days(7)
    } else {
        coming
    };
    if date == coming + Duration::days(7) {
        forms.push(format!("{weekday} week"));
    }
    forms.choose(rng).cloned().unwrap_or_default()
}

/// A vague span a caller may give with the request, when `date` lies in it.
fn vague_span(date: NaiveDate, today: NaiveDate) -> Option<&'static str> {
    let monday = next_monday(today);
    if date < monday || date >= monday + Duration::days(7) {
        return None;
    }
    match date.weekday() {
        Weekday::Mon | Weekday::Tue => Some("early next week"),
        Weekday::Thu | Weekday::Fri => Some("towards the end of next week"),
        _ => None,
    }
}

/// Where a caller in `tz` says they are.
fn place(tz: Tz) -> &'static str {
    match tz {
        chrono_tz::Europe::London => "the UK",
        chrono_tz::Europe::Dublin => "Ireland",
        chrono_tz::America::Denver => "Denver",
        chrono_tz::America::Chicago => "Chicago",
        chrono_tz::America::Los_Angeles => "LA",
        chrono_tz::Africa::Lagos => "Lagos",
        _ => "abroad",
    }
}

/// A start said in full, in the caller's zone when `zone` is theirs.
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
    let time = write_time(rng, local.time());
    match zone {
        None => match rng.random_range(0..3) {
            0 => format!("{day} at {time}"),
            1 => format!("{day}, {time}"),
            _ => format!("{time}, {day}"),
        },
        Some(tz) => {
            let at = place(tz);
            match rng.random_range(0..3) {
                0 => format!("{day} at {time} where I am, in {at}"),
                1 => format!("{day} at {time} my end, I'm calling from {at}"),
                _ => format!("{time} local time for me in {at}, {day}"),
            }
        }
    }
}

/// A clock time picked from offered ones: "the 2:30", "the 10am".
fn pick_time(t: NaiveTime) -> String {
    let (h, m) = (t.hour(), t.minute());
    let h12 = if h > 12 { h - 12 } else { h };
    let ampm = if h < 12 { "am" } else { "pm" };
    match (h, m) {
        (12, 0) => "the midday".into(),
        (_, 0) => format!("the {h12}{ampm}"),
        _ => format!("the {h12}:{m:02}"),
    }
}

/// Bosses on whose behalf an assistant rings.
const BOSSES: &[&str] = &[
    "Dr. Patel",
    "Mr. Okafor",
    "Professor Lindqvist",
    "Ms. Harrington",
];

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
    let company = s.company.clone().unwrap_or_else(|| "Fernhill".into());
    let known = s.classes.contains(&Class::KnownContact) || s.classes.contains(&Class::Vip);
    let spelled = s.classes.contains(&Class::SpelledName);
    let volunteered = s.classes.contains(&Class::Volunteered);
    let corrected_time = s.classes.contains(&Class::CorrectedTime);
    let changed_mind = s.classes.contains(&Class::ChangedMind);
    let corrected_number = s.classes.contains(&Class::CorrectedNumber);
    let content = s.content.clone();
    let purpose = s.purpose.clone();
    let ptz = persona.timezone;
    let boss = pick(rng, BOSSES).to_string();
    let fill = |t: &str| {
        t.replace("{exec}", &exec)
            .replace("{name}", &name)
            .replace("{first}", &first)
            .replace("{last}", &last)
            .replace("{company}", &company)
            .replace("{content}", &content)
            .replace("{Content}", &cap(&content))
            .replace("{p}", &purpose)
            .replace("{P}", &cap(&purpose))
            .replace("{boss}", &boss)
    };
    let goals = s.goals.clone();
    let first_goal = goals.first().cloned().unwrap_or(Goal::Message);

    // The wish, said in full; the wrong one said first by a caller who corrects it.
    let zone = s.wish.as_ref().and_then(|w| w.zone);
    let full = s
        .wish
        .as_ref()
        .map(|w| write_when(rng, persona, now, w.start, zone));
    let wrong = s.wish.as_ref().map(|w| wrong_start(persona, now, w));
    let wrong_full = wrong.map(|w| write_when(rng, persona, now, w, zone));
    let local_wish = s.wish.as_ref().map(|w| w.start.with_timezone(&ptz));
    let today = now.with_timezone(&ptz).date_naive();
    let plain_wish = zone.is_none() && !corrected_time && !changed_mind;
    let vague = local_wish
        .filter(|_| plain_wish && matches!(first_goal, Goal::Book))
        .and_then(|l| vague_span(l.date_naive(), today))
        .filter(|_| rng.random_bool(0.6));
    if let (Some(w), Some(said)) = (s.wish.as_mut(), &full) {
        w.spoken = said.clone();
    }
    let number_said = match &s.callback {
        Callback::Spoken(d) => write_number(rng, d),
        Callback::CallerId => String::new(),
    };
    // An assistant ringing for their boss (messages and people only: a meeting would be the
    // boss's, not the caller's).
    let for_boss = !known
        && !spelled
        && matches!(first_goal, Goal::Message | Goal::Person)
        && rng.random_bool(0.35);

    let intro = fill(if known {
        pick(
            rng,
            &[
                "Evening, it's {first} {last}, {exec} and I go way back.",
                "Hello again, {first} {last} speaking.",
                "{first} {last} here, I'm sure I'm in {exec}'s contacts.",
            ],
        )
    } else if for_boss {
        pick(
            rng,
            &[
                "Good evening, my name is {name}, I'm ringing on behalf of {boss} at {company}.",
                "Hello, {name} here, calling for {boss} from {company}.",
            ],
        )
    } else if spelled {
        pick(
            rng,
            &[
                "Good evening, {name} from {company}, surname spelt {spelled}.",
                "Hello, this is {first} {last}, {last} being {spelled}, of {company}.",
            ],
        )
    } else {
        pick(
            rng,
            &[
                "Good evening, {name} speaking, from {company}.",
                "Hello, this is {first} {last} of {company}.",
                "G'day, {name} here from {company}.",
            ],
        )
    })
    .replace("{spelled}", &spell(&last, false));

    let number_ahead = match &s.callback {
        Callback::CallerId => pick(
            rng,
            &[
                "Same as the caller ID for a call back.",
                "{exec} can use the number on your screen.",
            ],
        )
        .replace("{exec}", &exec),
        Callback::Spoken(_) => pick(
            rng,
            &["Best to reach me on {n}.", "I'm on {n} if {exec} needs me."],
        )
        .replace("{exec}", &exec)
        .replace("{n}", &number_said),
    };

    let opener = |g: &Goal, rng: &mut StdRng, first_goal: bool| -> String {
        let w = if first_goal && changed_mind {
            wrong_full.clone()
        } else {
            full.clone()
        }
        .unwrap_or_default();
        let o = match g {
            Goal::Message if volunteered && for_boss => pick(
                rng,
                &[
                    "{boss} asked me to let {exec} know that {content}. Could you kindly pass that on?",
                    "Could you tell {exec} from {boss} that {content}? Also, {boss} is travelling tomorrow.",
                ],
            )
            .to_string(),
            Goal::Message if volunteered => pick(
                rng,
                &[
                    "Is {exec} still in by any chance? No? Then could you kindly tell {exec} that {content}?",
                    "I wanted to convey to {exec} that {content}. Also, there's no hurry on it.",
                    "Just a quick one for {exec}: {content}. Cheers.",
                    "Could you do me a favour and let {exec} know {content}?",
                ],
            )
            .to_string(),
            Goal::Message if for_boss => pick(
                rng,
                &[
                    "{boss} would like to leave word for {exec}, if that's alright.",
                    "I have a message for {exec} from {boss}, please.",
                ],
            )
            .to_string(),
            Goal::Message => pick(
                rng,
                &[
                    "I was hoping to have a word with {exec}, but I gather it's late. Could I leave word?",
                    "Has {exec} gone home for the day? I'll leave a message then, please.",
                    "Could you kindly jot something down for {exec}?",
                    "I'd like to drop {exec} a line, could you pass something on?",
                ],
            )
            .to_string(),
            Goal::Book => {
                let v = if first_goal {
                    vague.map(|v| format!(" {v}")).unwrap_or_default()
                } else {
                    String::new()
                };
                let mut o = pick(
                    rng,
                    &[
                        "I'd like to fix an appointment with {exec}{v}, please.",
                        "I reckon it's time I sat down with {exec}, could we find a slot{v}?",
                        "Might I pencil in some time with {exec}{v}?",
                        "Is there room in {exec}'s diary{v}? I'd like a meeting.",
                    ],
                )
                .replace("{v}", &v);
                if volunteered && vague.is_none() && !corrected_time {
                    o = pick(
                        rng,
                        &[
                            "Could I get {w} with {exec}? It's about {p}.",
                            "I'd like {w} with {exec}, please, to talk about {p}.",
                        ],
                    )
                    .replace("{w}", &w);
                } else if volunteered {
                    o.push_str(" It's to go over {p}.");
                }
                o
            }
            Goal::FreeThenBook => pick(
                rng,
                &[
                    "Has {exec} got anything open {w}?",
                    "What does {exec}'s diary look like {w}?",
                    "Would {exec} be available {w}, do you reckon?",
                ],
            )
            .replace("{w}", &w),
            Goal::Move => {
                let mut o = pick(
                    rng,
                    &[
                        "I need to push back my appointment with {exec}, I'm afraid.",
                        "My meeting with {exec} clashes with something now, could we shift it?",
                        "Could we reschedule my time with {exec}, please?",
                    ],
                )
                .to_string();
                if volunteered && !corrected_time {
                    o.push_str(&format!(" {} would suit me better.", cap(&w)));
                }
                o
            }
            Goal::Cancel => pick(
                rng,
                &[
                    "I'll have to pull out of my meeting with {exec}, I'm afraid.",
                    "Please cancel my appointment with {exec}, something's come up.",
                    "Could you kindly scrap my meeting with {exec}?",
                ],
            )
            .to_string(),
            Goal::Faq(id) => faq_question(rng, id),
            Goal::Person => pick(
                rng,
                &[
                    "Could I have a word with someone from the team?",
                    "Is anybody about that I could talk to?",
                    "Could you kindly put me through to one of {exec}'s colleagues?",
                ],
            )
            .to_string(),
            Goal::Urgent => pick(
                rng,
                &[
                    "This is rather urgent: {content}. I need to get hold of {exec} tonight.",
                    "I wouldn't ring at this hour otherwise, but {content}, so I need {exec} straight away.",
                    "Bit of a crisis here, {content}. Can you get {exec} on the phone tonight?",
                ],
            )
            .to_string(),
        };
        fill(&o)
    };
    let request = opener(&first_goal, rng, true);
    let introduces = (volunteered || for_boss || known && rng.random_bool(0.5))
        && !matches!(first_goal, Goal::Faq(_));
    let mut opening = if introduces {
        format!("{intro} {request}")
    } else {
        request
    };
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
                    "Brilliant, cheers. There's one other thing:",
                    "Lovely. Oh, and",
                    "Thanks ever so much. Also,",
                ],
            );
            format!("{lead} {}", lower_first(&opener(g, rng, false), &[&exec]))
        })
        .collect();
    let restate = goals
        .iter()
        .map(|g| {
            fill(&match g {
                Goal::Message => "I only want to leave {exec} a message, please.".to_string(),
                Goal::Book | Goal::FreeThenBook => {
                    "I'm trying to book some time with {exec}, please.".into()
                }
                Goal::Move => "My appointment with {exec} needs to go to a different time.".into(),
                Goal::Cancel => "I want to cancel my appointment with {exec}, please.".into(),
                Goal::Faq(id) => faq_question(rng, id),
                Goal::Person => "I'd really like to talk to a person, please.".into(),
                Goal::Urgent => "It's urgent, I need to reach {exec} tonight.".into(),
            })
        })
        .collect();

    let name_line = if known {
        fill(pick(
            rng,
            &["It's {first} {last}.", "{first} {last}, as before."],
        ))
    } else if for_boss {
        fill(pick(
            rng,
            &[
                "I'm {name}, {boss}'s assistant.",
                "My name is {name}, I look after {boss}'s diary.",
            ],
        ))
    } else if spelled {
        format!("{name}, and that's {}.", spell(&last, rng.random_bool(0.5)))
    } else {
        fill(pick(
            rng,
            &[
                "The name's {name}.",
                "{first}. Surname's {last}.",
                "My good name is {name}.",
                "It's {name}, from {company}.",
            ],
        ))
    };
    let partial_fix_ok = match (&s.callback, s.caller_id.as_deref()) {
        (Callback::Spoken(d), Some(id)) => digits(id).ends_with(d.as_str()) || id == "Anonymous",
        (Callback::Spoken(_), None) => true,
        _ => false,
    };
    let number_line = match &s.callback {
        Callback::CallerId => pick(
            rng,
            &[
                "Same as the caller ID.",
                "Just the number that's come up on your screen.",
                "Whatever you've got on the display, that's me.",
            ],
        )
        .to_string(),
        Callback::Spoken(d) if corrected_number => {
            let mut w = d.clone().into_bytes();
            let i = w.len() - 2;
            w[i] = if w[i] == b'9' { b'3' } else { w[i] + 1 };
            let w = String::from_utf8(w).unwrap_or_default();
            pick(
                rng,
                &[
                    "{w}. Oops, the end's wrong, it's {n}.",
                    "{w}, sorry, let me start again: {n}.",
                    "{w}, no, hold on, {n}.",
                ],
            )
            .replace("{w}", &write_number(rng, &w))
            .replace("{n}", &number_said)
        }
        Callback::Spoken(_) => pick(
            rng,
            &[
                "Best to reach me on {n}.",
                "It's {n}, that's a mobile.",
                "You can ring me on {n}, please.",
                "Right, {n}.",
            ],
        )
        .replace("{n}", &number_said),
    };
    let number_fix = match &s.callback {
        Callback::CallerId => "No, the number I'm calling from, please.".to_string(),
        Callback::Spoken(d) if partial_fix_ok && d.len() == 10 => pick(
            rng,
            &["No, the last four are {l}.", "Not quite, it ends in {l}."],
        )
        .replace("{l}", &d[6..]),
        Callback::Spoken(_) => format!("No, sorry, it's {number_said}."),
    };
    let number_digits = match &s.callback {
        Callback::Spoken(d) => d
            .chars()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        Callback::CallerId => String::new(),
    };

    let wish_day = local_wish.map(|l| l.format("%A").to_string());
    let wrong_day = wrong.map(|w| w.with_timezone(&ptz).format("%A").to_string());
    let bare_time = local_wish.map(|l| write_time(rng, l.time()));
    let (when, when_again, change_mind, pick_line) = match (&full, &wrong_full, &local_wish) {
        (Some(right), Some(wrong_said), Some(l)) => {
            let when = if corrected_time {
                pick(
                    rng,
                    &[
                        "{x}, sorry, {r}.",
                        "{x}. Ah, my mistake, {r}.",
                        "{x}, no, scrap that, {r}.",
                    ],
                )
                .replace("{x}", &cap(wrong_said))
                .replace("{r}", right)
            } else if changed_mind {
                format!("{} would be good.", cap(wrong_said))
            } else if vague.is_some() {
                pick(
                    rng,
                    &["The {d}, {t}, if possible.", "{d} at {t} would do nicely."],
                )
                .replace("{d}", wish_day.as_deref().unwrap_or_default())
                .replace("{t}", bare_time.as_deref().unwrap_or_default())
            } else if matches!(first_goal, Goal::Book) && rng.random_bool(0.3) {
                // The reason again after the time.
                format!("{}, to discuss {purpose}.", cap(right))
            } else {
                pick(
                    rng,
                    &[
                        "{w}, if that's doable.",
                        "Would {w} work?",
                        "I was thinking {w}.",
                        "Perhaps {w}?",
                    ],
                )
                .replace("{w}", right)
            };
            let again = match (&wish_day, &wrong_day) {
                (Some(d), Some(x)) if corrected_time && d != x => {
                    format!("No, {d}, not {x}. {}.", cap(right))
                }
                _ => pick(
                    rng,
                    &[
                        "Nothing later? I was hoping for {w}.",
                        "That's not what I asked for, I wanted {w}.",
                        "No, {w}, please.",
                    ],
                )
                .replace("{w}", right),
            };
            let change = changed_mind.then(|| {
                pick(
                    rng,
                    &[
                        "Actually, would {w} be possible instead? Something's just come up.",
                        "Ah, I've just checked my diary, {w} would suit better.",
                        "Now that I think of it, {w} is better for me.",
                    ],
                )
                .replace("{w}", right)
            });
            let t = pick_time(l.time());
            let pick_line = pick(
                rng,
                &[
                    "{t} would be great.",
                    "I'll take {t}.",
                    "Go for {t}, please.",
                ],
            )
            .replace("{t}", &t);
            (cap(&when), again, change, cap(&pick_line))
        }
        _ => Default::default(),
    };
    let booked_when = s
        .existing
        .as_ref()
        .map(|e| {
            let w = write_when(rng, persona, now, e.start, None);
            pick(
                rng,
                &["It's booked for {w}, if I remember right.", "{W}, I think."],
            )
            .replace("{W}", &cap(&w))
            .replace("{w}", &w)
        })
        .unwrap_or_default();
    let message_line = fill(pick(
        rng,
        &[
            "{Content}. Also, there's no rush on it.",
            "Please tell {exec} {content}. Also, I'm around all day tomorrow.",
            "Could you say {content}? Ta.",
            "Right, the message is: {content}.",
            "Kindly inform {exec} that {content}.",
        ],
    ));
    let purpose_line = fill(pick(
        rng,
        &[
            "We need to talk about {p}.",
            "To go over {p}, really.",
            "{P} is the main thing.",
            "I'd like to run {p} past {exec}.",
        ],
    ));

    // Once, for some callers, a habit: asking to hear it again, or an answer out of turn.
    let books = matches!(first_goal, Goal::Book | Goal::FreeThenBook | Goal::Move);
    let aside = if known || !rng.random_bool(0.3) {
        None
    } else if books && !changed_mind {
        Some(Aside {
            at: Asked::Proposal,
            say: pick(
                rng,
                &[
                    "Sorry, what was that?",
                    "Sorry, the line's bad, could you say that again?",
                    "Pardon?",
                ],
            )
            .into(),
        })
    } else if matches!(first_goal, Goal::Message) && !volunteered {
        match rng.random_range(0..2) {
            0 => Some(Aside {
                at: Asked::ReadBack,
                say: pick(
                    rng,
                    &["Sorry, come again?", "Could you repeat that, please?"],
                )
                .into(),
            }),
            _ => Some(Aside {
                at: Asked::Name,
                say: fill("Before I forget, the message: {content}."),
            }),
        }
    } else {
        None
    };

    s.lines = Lines {
        opening,
        next_goals,
        restate,
        name: name_line,
        name_fix: fill(pick(
            rng,
            &["Close, but it's {name}.", "Not quite, the name is {name}."],
        )),
        spelling: format!("{}.", spell(&last, rng.random_bool(0.5))),
        spelling_full: format!(
            "{} {}, {} {}.",
            first,
            spell(&first, false),
            last,
            spell(&last, false)
        ),
        booked_when,
        number: number_line,
        number_digits,
        number_fix,
        message: message_line,
        purpose: purpose_line,
        when,
        when_again,
        change_mind,
        pick: pick_line,
        yes: pick(
            rng,
            &[
                "Yes, that's it exactly.",
                "Correct.",
                "Spot on, cheers.",
                "Perfect, yes.",
                "Yeah, that's grand.",
                "Yes, absolutely.",
                "That's the one.",
            ],
        )
        .into(),
        yes_again: "Yes. That is all correct, thank you.".into(),
        no: pick(rng, &["No, not quite.", "That's not right, I'm afraid."]).into(),
        decline: pick(rng, &["No need, thank you.", "I'll pass, thanks."]).into(),
        bye: pick(
            rng,
            &[
                "No, that's everything, cheers.",
                "That's all, thank you kindly.",
                "That'll be all, thanks. Bye now.",
            ],
        )
        .into(),
        give_up: "Fine, go with that then.".into(),
        want_message: pick(rng, &["I'll leave a message then.", "Message is fine."]).into(),
        want_person: "I do need a person, it can't wait.".into(),
        aside,
    };
    s.id = s.id.replacen('c', "t", 1);
    s
}

/// An FAQ asked in this phrasebook's own words.
fn faq_question(rng: &mut StdRng, id: &str) -> String {
    let forms: &[&str] = match id {
        "hours" => &[
            "What time do you open in the mornings?",
            "Are you lot open on Saturdays?",
            "When does the office shut?",
        ],
        "address" => &[
            "Could you tell me where you're located?",
            "What's the full address for your office, please?",
        ],
        "parking" => &[
            "Is there somewhere to leave the car?",
            "Can visitors park on site?",
        ],
        "documents" => &[
            "How do I get the signed documents over to you?",
            "Kindly tell me where to send the paperwork.",
        ],
        "press" => &[
            "I'm writing a piece for a newspaper, who handles press?",
            "Who do reporters speak to?",
        ],
        "jobs" => &[
            "Are there any openings at the firm?",
            "I'm after a job, are you recruiting?",
        ],
        _ => &["Quick question for you."],
    };
    pick(rng, forms).to_string()
}
