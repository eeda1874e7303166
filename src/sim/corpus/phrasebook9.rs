//! The ninth held-out phrasebook: the generator's facts said by callers who follow none of the
//! earlier scripts, written from the facts before its author read the dialog's code.
//!
//! The facts (who calls, what they want, the wished instant, the expected result) come from
//! [`super::generate`] with [`HELDOUT9_SEED`]; the words and some habits are new. Each caller
//! talks one of five ways ([`Style`]):
//! - storytellers who think aloud and tell how they came to call before what they want ("So, um,
//!   basically what happened was …", "long story short"), with false starts inside the facts
//!   ("617, um, 555, hang on, yeah, 555-0121");
//! - learners of English with their own grammar ("I am wishing to make appointment with Mr.
//!   Alex", "please you tell him that …", "the coming Thursday", "2 o'clock in afternoon");
//! - telegraphic callers who say nouns and numbers only ("Meeting. Thursday 2. Deepa Krishnan.",
//!   "Message. For Alex.");
//! - callers who say dates as numbers ("11/26", "the 26th of the 11th", "26/11"), read the number
//!   in groups ("617, 555, 01 21", "0044 20 7946 0012"), answer the time question with a question
//!   ("Does 11/26 at 2:00pm work?") and correct a read-back in part ("Close, but the end is
//!   0121.");
//! - callers following up an earlier email or call, in polite British and Australian idiom ("I
//!   emailed Alex last week about the audit findings, just following up", "I was wondering if I
//!   might …", "reckon", "cheers", "Would Thursday the 26th at 2pm suit?").
//!
//! The reactive [`super::Caller`] plays these lines exactly as it plays the generator's, so the
//! same checks apply.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Timelike, Utc};
use chrono_tz::Tz;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

use super::phrasebook::{cap, pick};
use super::phrasebook2::{lower_first, wrong_start};
use super::phrasebook4::tidy;
use super::phrasebook6::settle;
use super::{generate, Aside, Asked, Callback, Class, FactSheet, Goal, Lines};
use crate::logic::calendar::ordinal;
use crate::persona::Persona;

/// The seed of the ninth held-out phrasebook's facts and wording.
pub const HELDOUT9_SEED: u64 = 0x9E1D_2B7C;

/// Calls in the ninth held-out phrasebook run.
pub const HELDOUT9_CALLS: usize = 80;

/// `n` calls of the ninth held-out phrasebook: the generator's facts from `seed`, every line
/// said its way.
pub fn heldout9(persona: &Persona, now: DateTime<Utc>, seed: u64, n: usize) -> Vec<FactSheet> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x0DD_BA11);
    generate(persona, now, seed, n)
        .into_iter()
        .map(|sheet| rephrase(persona, now, &mut rng, sheet))
        .collect()
}

/// How a caller talks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// Thinks aloud, tells the story first, false starts.
    Storyteller,
    /// A learner of English with their own grammar.
    Learner,
    /// Nouns and numbers only.
    Terse,
    /// Dates as numbers, numbers in groups, answers as questions, partial corrections.
    Numeric,
    /// Follows up an earlier email or call, in polite British or Australian idiom.
    FollowUp,
}

/// One phrasing for this caller's style, from five lists in [`Style`] order.
fn by<'a>(rng: &mut StdRng, style: Style, forms: [&[&'a str]; 5]) -> &'a str {
    let i = match style {
        Style::Storyteller => 0,
        Style::Learner => 1,
        Style::Terse => 2,
        Style::Numeric => 3,
        Style::FollowUp => 4,
    };
    pick(rng, forms[i])
}

/// How a storyteller leads into what they want.
const STORIES: &[&str] = &[
    "So, um, basically what happened was, I was looking at my calendar and, yeah, anyway,",
    "Okay so, long story short, I was on the train thinking about this and, um,",
    "Right, so, um, I tried calling earlier but it rang out, and, so, anyway,",
    "So, the thing is, and sorry, I'm just thinking out loud here, um,",
];

/// A phone number as this caller says it (as whisper writes it).
fn write_number(rng: &mut StdRng, style: Style, d: &str) -> String {
    if d.len() != 10 {
        let tail = &d[8..];
        return match (style, rng.random_range(0..2)) {
            (Style::Storyteller, _) => format!("it's a UK one, so, um, +44, 20, 7946, {tail}"),
            (Style::Learner, _) => format!("+44 20 7946 {tail}, it is London number"),
            (Style::Terse, _) => format!("+44 20 7946 {tail}"),
            (Style::Numeric, 0) => format!("0044 20 7946 {tail}"),
            (Style::Numeric, _) => format!("+44, 20, 79, 46, {}, {}", &tail[..2], &tail[2..]),
            (Style::FollowUp, _) => format!("+44 20 7946 {tail}, same as on my emails"),
        };
    }
    let (a, b, c) = (&d[..3], &d[3..6], &d[6..]);
    let spaced = |s: &str| {
        s.chars()
            .map(|ch| ch.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    };
    match (style, rng.random_range(0..2)) {
        (Style::Storyteller, 0) => format!("{a}, um, {b}, hang on, yeah, {b}-{c}"),
        (Style::Storyteller, _) => format!("{a}-{b}-{c}, I think, yeah, that's it"),
        (Style::Learner, 0) => format!("{}, {}, {}", spaced(a), spaced(b), spaced(c)),
        (Style::Learner, _) => format!("{a} {b} {c}"),
        (Style::Terse, 0) => format!("{a}{b}{c}"),
        (Style::Terse, _) => format!("{a} {b} {c}"),
        (Style::Numeric, 0) => format!("{a}, {b}, {} {}", &c[..2], &c[2..]),
        (Style::Numeric, _) => format!("{a}, {b}, {}, {}", &c[..2], &c[2..]),
        (Style::FollowUp, 0) => format!("{a}-{b}-{c}, same as on my emails"),
        (Style::FollowUp, _) => format!("{a} {b} {c}"),
    }
}

/// The hour on a twelve-hour clock.
fn h12(h: u32) -> u32 {
    if h > 12 {
        h - 12
    } else {
        h
    }
}

/// The part of the day an hour is in, a learner's way: "in morning", "in afternoon".
fn part_of_day(h: u32) -> &'static str {
    if h < 12 {
        "in morning"
    } else if h < 18 {
        "in afternoon"
    } else {
        "in evening"
    }
}

/// Whether a bare hour can only mean one time in an office day (9 to 11 in the morning, 1 to 5
/// in the afternoon).
fn bare_is_clear(h: u32) -> bool {
    (9..=11).contains(&h) || (13..=17).contains(&h)
}

/// A clock time on the hour or half hour as this caller says it; `foreign` when it is the
/// caller's own zone.
fn write_time(rng: &mut StdRng, style: Style, t: NaiveTime, foreign: bool) -> String {
    let (h, m) = (t.hour(), t.minute());
    let ampm = if h < 12 { "am" } else { "pm" };
    if h == 12 && m == 0 {
        return by(
            rng,
            style,
            [
                &["um, 12, like, noon", "noon"],
                &["12 o'clock noon", "noon time"],
                &["noon", "12 noon"],
                &["12:00 noon", "12:00pm"],
                &["midday", "12 midday"],
            ],
        )
        .to_string();
    }
    let mut forms: Vec<String> = Vec::new();
    match (style, m) {
        (Style::Storyteller, 0) => {
            forms.push(format!("um, {}{ampm}", h12(h)));
            forms.push(format!("{}, {} o'clock", h12(h), h12(h)));
            forms.push(format!("{}{ampm}, or, yeah, {}{ampm}", h12(h), h12(h)));
        }
        (Style::Storyteller, _) => forms.push(format!("um, {}:30{ampm}", h12(h))),
        (Style::Learner, 0) => {
            forms.push(format!("{} o'clock {}", h12(h), part_of_day(h)));
            forms.push(format!("{}{ampm}", h12(h)));
        }
        (Style::Learner, _) => forms.push(format!("half past {} {}", h12(h), part_of_day(h))),
        (Style::Terse, 0) if bare_is_clear(h) && !foreign => forms.push(format!("{}", h12(h))),
        (Style::Terse, 0) => forms.push(format!("{}{ampm}", h12(h))),
        (Style::Terse, _) if bare_is_clear(h) && !foreign => forms.push(format!("{}:30", h12(h))),
        (Style::Terse, _) => forms.push(format!("{}:30{ampm}", h12(h))),
        (Style::Numeric, _) => {
            forms.push(format!("{}:{m:02}{ampm}", h12(h)));
            forms.push(format!("{h}:{m:02}"));
        }
        (Style::FollowUp, 0) => {
            forms.push(format!("{}{ampm}", h12(h)));
            forms.push(format!("{} o'clock", h12(h)));
        }
        (Style::FollowUp, _) => forms.push(format!("{}:30{ampm}", h12(h))),
    }
    forms.choose(rng).cloned().unwrap_or_default()
}

/// The time said wrong by an hour, then right, this caller's way.
fn hour_repair(rng: &mut StdRng, style: Style, t: NaiveTime, right: &str) -> String {
    let h = t.hour();
    let wrong_h = if h >= 15 { h - 1 } else { h + 1 };
    let wrong = if t.minute() == 0 {
        format!("{}{}", h12(wrong_h), if wrong_h < 12 { "am" } else { "pm" })
    } else {
        format!(
            "{}:30{}",
            h12(wrong_h),
            if wrong_h < 12 { "am" } else { "pm" }
        )
    };
    let oops = by(
        rng,
        style,
        [
            &[
                "no, wait, um, what am I saying,",
                "or, no, sorry, thinking out loud,",
            ],
            &["no, sorry, my mistake, is", "no no, I am wrong, it is"],
            &["no.", "no, wrong."],
            &["no, hang on, the right one is", "scratch that,"],
            &["oh, bother, no,", "no, sorry, I tell a lie,"],
        ],
    );
    format!("{wrong}, {oops} {right}")
}

/// `s` capitalised and closed with a full stop (unless it ends in one already).
fn sentence(s: &str) -> String {
    let s = cap(s);
    if s.ends_with(['.', '?', '!']) {
        s
    } else {
        format!("{s}.")
    }
}

/// `s` as said after `lead`: a new sentence keeps its capital, a clause goes on in lower case
/// (names kept).
fn after(lead: &str, s: &str, names: &[&str]) -> String {
    if lead.ends_with(['.', '?', '!']) {
        cap(s)
    } else {
        lower_first(s, names)
    }
}

/// The Monday of the week after `today`'s.
fn next_monday(today: NaiveDate) -> NaiveDate {
    today + Duration::days(7 - today.weekday().num_days_from_monday() as i64)
}

/// A month's number as an ordinal word whisper writes: "11th".
fn month_nth(date: NaiveDate) -> String {
    ordinal(date.month())
}

/// A day named from `today` the way this caller names it, precise on its own.
fn write_day(rng: &mut StdRng, style: Style, date: NaiveDate, today: NaiveDate) -> String {
    let ahead = (date - today).num_days();
    let weekday = date.format("%A").to_string();
    let month = date.format("%B").to_string();
    let nth = ordinal(date.day());
    let (d, m) = (date.day(), date.month());
    let this_week = ahead >= 2 && date < next_monday(today);
    let mut forms: Vec<String> = Vec::new();
    match style {
        Style::Storyteller => {
            forms.push(format!(
                "{weekday}, the {nth}, I think it is, yeah, the {nth}"
            ));
            forms.push(format!("um, {weekday}, {weekday} the {nth}"));
        }
        Style::Learner => {
            if this_week {
                forms.push(format!("the coming {weekday}"));
            }
            forms.push(format!("{weekday} {nth} {month}"));
            forms.push(format!("on {nth} of {month}"));
        }
        Style::Terse => {
            if (1..7).contains(&ahead) {
                forms.push(weekday.clone());
            }
            forms.push(format!("{weekday} {nth}"));
        }
        Style::Numeric => {
            forms.push(format!("{m}/{d}"));
            forms.push(format!("the {nth} of the {}", month_nth(date)));
            if d > 12 {
                forms.push(format!("{d}/{m}"));
            }
            forms.push(format!("{weekday} {m}/{d}"));
        }
        Style::FollowUp => {
            forms.push(format!("{weekday} the {nth}"));
            forms.push(format!("the {nth}, the {weekday}"));
        }
    }
    forms.choose(rng).cloned().unwrap_or_default()
}

/// How a caller in `tz` says the time is theirs.
fn zone_said(rng: &mut StdRng, style: Style, tz: Tz) -> String {
    let (city, zone, abbr) = match tz {
        chrono_tz::Europe::London => ("London", "UK time", "GMT"),
        chrono_tz::Europe::Dublin => ("Dublin", "Irish time", "GMT"),
        chrono_tz::America::Denver => ("Denver", "Mountain time", "MST"),
        chrono_tz::America::Chicago => ("Chicago", "Central time", "CST"),
        chrono_tz::America::Los_Angeles => ("LA", "Pacific time", "PST"),
        chrono_tz::Africa::Lagos => ("Lagos", "Lagos time", "WAT"),
        _ => ("here", "my time", "local"),
    };
    match (style, rng.random_range(0..2)) {
        (Style::Storyteller, 0) => format!("because I'm in {city}, so, um, that's {zone}"),
        (Style::Storyteller, _) => format!("{zone}, I'm in {city} this week, long story"),
        (Style::Learner, 0) => format!("{city} time, not your time"),
        (Style::Learner, _) => format!("in {city} time, where I am staying"),
        (Style::Terse, 0) => abbr.to_string(),
        (Style::Terse, _) => format!("{city} time"),
        (Style::Numeric, 0) => format!("{abbr}, {city}"),
        (Style::Numeric, _) => zone.to_string(),
        (Style::FollowUp, 0) => format!("my end, {city}"),
        (Style::FollowUp, _) => format!("{zone}, I reckon that's a few hours off yours"),
    }
}

/// A start said in full, in the caller's zone when `zone` is theirs.
fn write_when(
    rng: &mut StdRng,
    style: Style,
    persona: &Persona,
    now: DateTime<Utc>,
    start: DateTime<Utc>,
    zone: Option<Tz>,
) -> String {
    let ctz = zone.unwrap_or(persona.timezone);
    let local = start.with_timezone(&ctz).naive_local();
    let today = now.with_timezone(&ctz).date_naive();
    let day = write_day(rng, style, local.date(), today);
    let time = write_time(rng, style, local.time(), zone.is_some());
    let said = join_when(rng, style, &day, &time);
    match zone {
        None => said,
        Some(tz) => format!("{said}, {}", zone_said(rng, style, tz)),
    }
}

/// A day and a time put together this caller's way.
fn join_when(rng: &mut StdRng, style: Style, day: &str, time: &str) -> String {
    match (style, rng.random_range(0..2)) {
        (Style::Storyteller, 0) => format!("{day}, at, {time}"),
        (Style::Storyteller, _) => format!("{day} at {time}"),
        (Style::Learner, 0) => format!("{day} at {time}"),
        (Style::Learner, _) => format!("{day}, {time}"),
        (Style::Terse, _) => format!("{day} {time}"),
        (Style::Numeric, 0) => format!("{day} at {time}"),
        (Style::Numeric, _) => format!("{time} on {day}"),
        (Style::FollowUp, _) => format!("{day} at {time}"),
    }
}

/// A clock time picked from offered ones.
fn pick_time(style: Style, t: NaiveTime) -> String {
    let (h, m) = (t.hour(), t.minute());
    let ampm = if h < 12 { "am" } else { "pm" };
    match (style, m) {
        (_, 0) if h == 12 => "noon".into(),
        (Style::Terse, 0) => format!("{}{ampm}", h12(h)),
        (Style::Numeric, _) => format!("{h}:{m:02}"),
        (Style::Learner, 0) => format!("{} o'clock", h12(h)),
        (_, 0) => format!("{}{ampm}", h12(h)),
        _ => format!("{}:30{ampm}", h12(h)),
    }
}

/// A word spelled this caller's way.
fn spell(style: Style, word: &str) -> String {
    let letters: Vec<String> = word
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .map(|c| c.to_ascii_uppercase().to_string())
        .collect();
    match style {
        Style::Storyteller => format!("um, {}", letters.join(", ")),
        Style::Learner => letters.join(", "),
        Style::Terse => letters.join(" "),
        Style::Numeric => letters.join(". "),
        Style::FollowUp => format!("{}, as on my emails", letters.join(" ")),
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
    let company = s.company.clone().unwrap_or_else(|| "Kestrel Audio".into());
    let known = s.classes.contains(&Class::KnownContact) || s.classes.contains(&Class::Vip);
    let spelled = s.classes.contains(&Class::SpelledName);
    let volunteered = s.classes.contains(&Class::Volunteered);
    let corrected_time = s.classes.contains(&Class::CorrectedTime);
    let changed_mind = s.classes.contains(&Class::ChangedMind);
    let corrected_number = s.classes.contains(&Class::CorrectedNumber);
    let content = s.content.clone();
    let purpose = s.purpose.clone();
    let ptz = persona.timezone;
    let style = *[
        Style::Storyteller,
        Style::Learner,
        Style::Terse,
        Style::Numeric,
        Style::FollowUp,
    ]
    .choose(rng)
    .unwrap_or(&Style::Terse);
    let story = pick(rng, STORIES).to_string();
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
    };
    let goals = s.goals.clone();
    let first_goal = goals.first().cloned().unwrap_or(Goal::Message);

    // The wish, said in full; the wrong one first by a caller who repairs it or changes their
    // mind.
    let zone = s.wish.as_ref().and_then(|w| w.zone);
    let full = s
        .wish
        .as_ref()
        .map(|w| write_when(rng, style, persona, now, w.start, zone));
    let wrong = s.wish.as_ref().map(|w| wrong_start(persona, now, w));
    let wrong_full = wrong.map(|w| write_when(rng, style, persona, now, w, zone));
    let local_wish = s.wish.as_ref().map(|w| w.start.with_timezone(&ptz));
    if let (Some(w), Some(said)) = (s.wish.as_mut(), &full) {
        w.spoken = said.clone();
    }
    // A self-repair mid-sentence: the time an hour off, or the whole start wrong.
    let repaired = match (&s.wish, &full, &wrong_full) {
        (Some(w), Some(right), Some(wrong_said)) => {
            let ctz = zone.unwrap_or(ptz);
            let local = w.start.with_timezone(&ctz);
            if rng.random_bool(0.5) {
                let day = write_day(
                    rng,
                    style,
                    local.date_naive(),
                    now.with_timezone(&ctz).date_naive(),
                );
                let right_time = write_time(rng, style, local.time(), zone.is_some());
                let time = hour_repair(rng, style, local.time(), &right_time);
                let mut r = join_when(rng, style, &day, &time);
                if let Some(tz) = zone {
                    r = format!("{r}, {}", zone_said(rng, style, tz));
                }
                r
            } else {
                format!(
                    "{wrong_said}, {} {right}",
                    by(
                        rng,
                        style,
                        [
                            &["no, wait, um, sorry, I'm looking at the wrong week,"],
                            &["no, sorry, I make mistake, it is"],
                            &["no. Wrong. "],
                            &["no, wait, I read the wrong line, it's"],
                            &["no, hang on, I tell a lie, it's"],
                        ],
                    )
                )
                .replace(". ,", ".")
                .replace("  ", " ")
            }
        }
        _ => String::new(),
    };
    let number_said = match &s.callback {
        Callback::Spoken(d) => write_number(rng, style, d),
        Callback::CallerId => String::new(),
    };
    let spelled_last = spell(style, &last);

    let intro = fill(if known {
        by(
            rng,
            style,
            [
                &["Oh and it's {first} {last}, by the way, {exec} knows me, we go way back."],
                &["My name is {first} {last}, Mr. {exec} is knowing me."],
                &["{first} {last}. Known to {exec}."],
                &["It's {first} {last}, {exec} has my details on file."],
                &["It's {first} {last} here, {exec} and I go back a fair way."],
            ],
        )
    } else if spelled {
        by(
            rng,
            style,
            [
                &["Oh, and I'm {name}, that's, {spelled}, people always get it wrong."],
                &["My name is {name}, I spell for you, {spelled}."],
                &["{name}. {spelled}."],
                &["It's {name}, surname {spelled}."],
                &["It's {name}, that's {spelled}."],
            ],
        )
    } else {
        by(
            rng,
            style,
            [
                &["Oh, I should say, I'm {name}, I work at {company}."],
                &["My name is {name}, I am working in {company}."],
                &["{name}. {company}."],
                &["It's {name}, {company}."],
                &["It's {name} from {company} here."],
            ],
        )
    })
    .replace("{spelled}", &spelled_last);

    let number_ahead = match &s.callback {
        Callback::CallerId => by(
            rng,
            style,
            [
                &["And, um, you can just call me back on this, the number I'm ringing from."],
                &["Please you call me on this same number I am calling."],
                &["Callback this number."],
                &["Same number as this call, for a call back."],
                &["The number I'm ringing on is best, cheers."],
            ],
        )
        .to_string(),
        Callback::Spoken(_) => by(
            rng,
            style,
            [
                &["And my number is, um, {n}."],
                &["My number is {n}, please."],
                &["Number {n}."],
                &["Number's {n}."],
                &["My number's {n}."],
            ],
        )
        .replace("{n}", &number_said),
    };

    let opener = |g: &Goal, rng: &mut StdRng, first_goal: bool| -> String {
        let w = if first_goal && changed_mind {
            wrong_full.clone()
        } else if first_goal && corrected_time {
            Some(repaired.clone())
        } else {
            full.clone()
        }
        .unwrap_or_default();
        let o = match g {
            Goal::Message if volunteered => by(
                rng,
                style,
                [
                    &["{story} I just need {exec} to know that {content}."],
                    &["Please you tell Mr. {exec} that {content}."],
                    &["Message for {exec}. {Content}."],
                    &["A message for {exec}, it's this: {content}."],
                    &["I emailed {exec} about this but I reckon it got buried, so could you pass on that {content}?"],
                ],
            )
            .to_string(),
            Goal::Message => by(
                rng,
                style,
                [
                    &["{story} I think I just want to, um, leave {exec} a message?"],
                    &["I am wishing to leave one message for Mr. {exec}."],
                    &["Message. For {exec}."],
                    &["I need a message left for {exec}, please."],
                    &["I was wondering if I might leave a message for {exec}, following up on my email."],
                ],
            )
            .to_string(),
            Goal::Book => {
                let mut o = by(
                    rng,
                    style,
                    [
                        &["{story} I think I need to, um, get a meeting with {exec}, like, sit down properly."],
                        &["I am wishing to make appointment with Mr. {exec}."],
                        &["Meeting. With {exec}."],
                        &["I need a meeting with {exec} on the calendar."],
                        &["I spoke to {exec} last week and we said we'd catch up, so I was wondering if I might book a meeting."],
                    ],
                )
                .to_string();
                if volunteered {
                    o.push_str(by(
                        rng,
                        style,
                        [
                            &[" It's about, um, well, {p}, basically."],
                            &[" It is for discussing {p}."],
                            &[" {P}."],
                            &[" Re {p}."],
                            &[" It's about {p}, as per my email."],
                        ],
                    ));
                    // The wish too: always by a self-repairer's first goal, by others often.
                    let says_when = if corrected_time {
                        first_goal
                    } else {
                        style == Style::Terse || rng.random_bool(0.5)
                    };
                    if says_when {
                        o.push_str(&format!(" {}", sentence(&w)));
                    }
                }
                o
            }
            Goal::FreeThenBook => by(
                rng,
                style,
                [
                    &["{story} is {exec}, um, around {w}? Because I'd like to meet."],
                    &["Mr. {exec} is free {w}? I am wishing to meet him."],
                    &["{exec} free {w}? Meeting."],
                    &["Is {exec} free {w}? I need a meeting."],
                    &["Would {exec} have a gap {w}, do you reckon? I'd like to meet."],
                ],
            )
            .replace("{w}", &w)
            .replace("{W}", &cap(&w)),
            Goal::Move => {
                let mut o = by(
                    rng,
                    style,
                    [
                        &["{story} I've got a meeting with {exec} and it, um, it needs moving."],
                        &["I am having meeting with Mr. {exec}, I need to change it to other day."],
                        &["Meeting with {exec}. Move it."],
                        &["My meeting with {exec} needs a new date."],
                        &["Following up on my email, I'm afraid I need to shift my meeting with {exec}."],
                    ],
                )
                .to_string();
                if volunteered && first_goal && corrected_time {
                    o.push_str(&format!(" {}", sentence(&w)));
                } else if volunteered && !corrected_time {
                    o.push_str(
                        &by(
                            rng,
                            style,
                            [
                                &[" Maybe, um, {w}?"],
                                &[" Please make it {w}."],
                                &[" {W}."],
                                &[" New date {w}."],
                                &[" Would {w} suit?"],
                            ],
                        )
                        .replace("{w}", &w)
                        .replace("{W}", &cap(&w)),
                    );
                }
                o
            }
            Goal::Cancel => by(
                rng,
                style,
                [
                    &["{story} I can't do my meeting with {exec}, so I guess I have to cancel it."],
                    &["I am needing to cancel my appointment with Mr. {exec}."],
                    &["Meeting with {exec}. Cancel."],
                    &["My meeting with {exec} has to be cancelled."],
                    &["I'm terribly sorry, I'll have to cancel my meeting with {exec}, as I said in my email."],
                ],
            )
            .to_string(),
            Goal::Faq(id) => faq_question(rng, style, id),
            Goal::Person => by(
                rng,
                style,
                [
                    &["{story} I think I'd rather just, um, talk to an actual person?"],
                    &["Please, I am wishing to talk with a person."],
                    &["Person. Please."],
                    &["I need a person on the line, please."],
                    &["I was wondering if I might have a word with someone in the office?"],
                ],
            )
            .to_string(),
            Goal::Urgent => by(
                rng,
                style,
                [
                    &["{story} it's urgent, {content}, so I need {exec}, like, tonight."],
                    &["It is very urgent, {content}. Please, I must speak with Mr. {exec} tonight."],
                    &["Urgent. {Content}. {exec}, tonight."],
                    &["Urgent one: {content}. I need {exec} tonight."],
                    &["I'm afraid it's urgent, {content}, I really need {exec} tonight."],
                ],
            )
            .to_string(),
        };
        fill(&o).replace("{story}", &story)
    };
    let request = opener(&first_goal, rng, true);
    let introduces =
        (volunteered || known && rng.random_bool(0.5)) && !matches!(first_goal, Goal::Faq(_));
    let mut opening = if introduces {
        if matches!(style, Style::Storyteller) || rng.random_bool(0.5) {
            format!("{request} {intro}")
        } else {
            format!("{intro} {request}")
        }
    } else {
        request.clone()
    };
    let callback_wanted = !matches!(first_goal, Goal::Faq(_));
    if callback_wanted && s.classes.contains(&Class::CallerIdNumber)
        || volunteered
            && matches!(first_goal, Goal::Message | Goal::Urgent | Goal::Person)
            && rng.random_bool(0.5)
    {
        opening = format!("{opening} {number_ahead}");
    }
    let greeting = by(
        rng,
        style,
        [
            &["Hi, um, hi,", "Oh, hello, yes, so,"],
            &["Hello, good evening,", "Hello, good evening to you."],
            &["Hi.", "Evening."],
            &["Hi,", "Hello,"],
            &["Hiya,", "Evening, how are you going?"],
        ],
    );
    if rng.random_bool(0.6) {
        opening = format!(
            "{greeting} {}",
            after(greeting, &opening, &[&exec, &first, &last])
        );
    }

    let next_goals = goals
        .iter()
        .skip(1)
        .map(|g| {
            let lead = by(
                rng,
                style,
                [
                    &[
                        "Oh, and, um, while I'm thinking of it,",
                        "And, sorry, one more thing,",
                    ],
                    &["Also I have one more thing.", "And other thing,"],
                    &["Also.", "And."],
                    &["And another,", "Plus,"],
                    &["Oh, and while I've got you,", "One other thing, if I may,"],
                ],
            );
            let lead = fill(lead);
            let next = opener(g, rng, false);
            format!("{lead} {}", after(&lead, &next, &[&exec, &first, &last]))
        })
        .collect();
    let restate = goals
        .iter()
        .map(|g| {
            fill(match g {
                Goal::Message => by(
                    rng,
                    style,
                    [
                        &["Sorry, I'm rambling, I just want to leave {exec} a message."],
                        &["I want only to leave message for Mr. {exec}."],
                        &["Message for {exec}."],
                        &["Just a message for {exec}."],
                        &["Sorry, I'd just like to leave a message for {exec}."],
                    ],
                ),
                Goal::Book | Goal::FreeThenBook => by(
                    rng,
                    style,
                    [
                        &["Sorry, I'm rambling, I just want a meeting with {exec}."],
                        &["I want only to make appointment with Mr. {exec}."],
                        &["Meeting with {exec}. Book."],
                        &["Just a meeting with {exec}, to book."],
                        &["Sorry, I'd just like to book a meeting with {exec}."],
                    ],
                ),
                Goal::Move => by(
                    rng,
                    style,
                    [
                        &["Sorry, I'm rambling, I just need to move my meeting with {exec}."],
                        &["I want only to change my appointment with Mr. {exec} to other day."],
                        &["Move meeting. {exec}."],
                        &["Just moving my meeting with {exec}."],
                        &["Sorry, I'd just like to move my meeting with {exec}."],
                    ],
                ),
                Goal::Cancel => by(
                    rng,
                    style,
                    [
                        &["Sorry, I'm rambling, I just need to cancel my meeting with {exec}."],
                        &["I want only to cancel my appointment with Mr. {exec}."],
                        &["Cancel meeting. {exec}."],
                        &["Just cancelling my meeting with {exec}."],
                        &["Sorry, I'd just like to cancel my meeting with {exec}."],
                    ],
                ),
                Goal::Faq(id) => return faq_question(rng, style, id),
                Goal::Person => by(
                    rng,
                    style,
                    [
                        &["Sorry, I'm rambling, can I just talk to a person?"],
                        &["I want only to talk with a person, please."],
                        &["Person."],
                        &["Just a person, please."],
                        &["Sorry, could I just speak to someone?"],
                    ],
                ),
                Goal::Urgent => by(
                    rng,
                    style,
                    [
                        &["Sorry, I'm rambling, but it's urgent, I need {exec} tonight."],
                        &["It is urgent, I must speak with Mr. {exec} tonight."],
                        &["Urgent. {exec}. Tonight."],
                        &["Urgent, I need {exec} tonight."],
                        &["Sorry, it really is urgent, I need {exec} tonight."],
                    ],
                ),
            })
        })
        .collect();

    let name_line = if spelled && !known {
        fill(by(
            rng,
            style,
            [
                &["Oh, um, it's {name}."],
                &["My name is {name}."],
                &["{name}."],
                &["It's {name}."],
                &["It's {name}."],
            ],
        )) + &format!(" {}.", cap(&spelled_last))
    } else {
        fill(by(
            rng,
            style,
            [
                &[
                    "Oh, um, sorry, yeah, it's {name}.",
                    "It's, um, {first}, {first} {last}.",
                ],
                &["My name is {name}.", "I am {name}."],
                &["{name}.", "{last}. {first} {last}."],
                &["It's {name}.", "{name}."],
                &["It's {name}.", "{name}, cheers."],
            ],
        ))
    };
    let number_line = match &s.callback {
        Callback::CallerId => by(
            rng,
            style,
            [
                &["Oh, um, just the one I'm calling from is fine."],
                &["Please use this same number I am calling."],
                &["This one."],
                &["Same as the caller ID."],
                &["The one I'm ringing on will do, cheers."],
            ],
        )
        .to_string(),
        Callback::Spoken(d) if corrected_number => {
            let mut w = d.clone().into_bytes();
            let i = w.len() - 3;
            w[i] = if w[i] == b'9' { b'2' } else { w[i] + 1 };
            let w = String::from_utf8(w).unwrap_or_default();
            by(
                rng,
                style,
                [
                    &["{w}, no, um, sorry, that's my work one, it's {n}."],
                    &["{w}, no, sorry, I make mistake, {n}."],
                    &["{w}. No. {n}."],
                    &["{w}, no, hang on, it's {n}."],
                    &["{w}, oh, bother, no, it's {n}."],
                ],
            )
            .replace("{w}", &write_number(rng, style, &w))
            .replace("{n}", &number_said)
        }
        Callback::Spoken(_) => by(
            rng,
            style,
            [
                &["Um, {n}."],
                &["My number is {n}."],
                &["{n}."],
                &["It's {n}."],
                &["It's {n}, cheers."],
            ],
        )
        .replace("{n}", &number_said),
    };
    // A read-back corrected in part: the end of the number only, by the numbers caller.
    let number_fix = match &s.callback {
        Callback::CallerId => by(
            rng,
            style,
            [
                &["No, um, sorry, the one I'm calling from."],
                &["No, please, the same number I am calling."],
                &["No. This one."],
                &["No, the caller ID one."],
                &["No, sorry, the one I'm ringing on."],
            ],
        )
        .to_string(),
        Callback::Spoken(d) if style == Style::Numeric => {
            let tail = &d[d.len() - 4..];
            format!("Close, but the end is {tail}.")
        }
        Callback::Spoken(_) => by(
            rng,
            style,
            [
                &["No, um, sorry, it's {n}."],
                &["No, no, it is {n}."],
                &["No. {n}."],
                &["No, it's {n}."],
                &["Not quite, it's {n}."],
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
        (Some(right), Some(wrong_said), Some(l)) => {
            let when = if corrected_time {
                sentence(&repaired)
            } else if changed_mind {
                sentence(wrong_said)
            } else {
                by(
                    rng,
                    style,
                    [
                        &["Um, let me think, {w}, I guess?", "Oh, um, {w}, maybe."],
                        &["I am thinking {w}.", "{W}, if possible."],
                        &["{W}."],
                        &["Does {w} work?", "How about {w}?"],
                        &["Would {w} suit?", "I reckon {w} would be good."],
                    ],
                )
                .replace("{w}", right)
                .replace("{W}", &cap(right))
            };
            let again = by(
                rng,
                style,
                [
                    &["No, um, sorry, I meant {w}."],
                    &["No, sorry, I said {w}."],
                    &["No. {W}."],
                    &["No, {w}."],
                    &["Not quite, I said {w}."],
                ],
            )
            .replace("{w}", right)
            .replace("{W}", &cap(right));
            let change = changed_mind.then(|| {
                by(
                    rng,
                    style,
                    [
                        &["Oh, um, actually, thinking about it, {w} would be better."],
                        &["Sorry, I am changing, please make {w}."],
                        &["No. {W} instead."],
                        &["Actually, can it be {w} instead?"],
                        &["Actually, would {w} be possible instead? Sorry to be a pain."],
                    ],
                )
                .replace("{w}", right)
                .replace("{W}", &cap(right))
            });
            let t = pick_time(style, l.time());
            let pick_line = by(
                rng,
                style,
                [
                    &["Oh, um, {t}, yeah."],
                    &["The {t}, please."],
                    &["{T}."],
                    &["{T}, that one."],
                    &["{T} would be brilliant, cheers."],
                ],
            )
            .replace("{t}", &t)
            .replace("{T}", &cap(&t));
            (when, again, change, pick_line)
        }
        _ => Default::default(),
    };
    let booked_when = s
        .existing
        .as_ref()
        .map(|e| {
            let w = write_when(rng, style, persona, now, e.start, None);
            by(
                rng,
                style,
                [
                    &["Um, it's, let me look, {w}."],
                    &["It is {w}."],
                    &["{W}."],
                    &["It's {w}."],
                    &["It's {w}, I believe, as per the invite."],
                ],
            )
            .replace("{w}", &w)
            .replace("{W}", &cap(&w))
        })
        .unwrap_or_default();
    let message_line = fill(by(
        rng,
        style,
        [
            &["Um, so, just that {content}."],
            &["Please you tell him that {content}."],
            &["{Content}."],
            &["That {content}."],
            &["Just that {content}, cheers."],
        ],
    ));
    let purpose_line = fill(by(
        rng,
        style,
        [
            &["It's, um, well, {p}, basically."],
            &["It is for discussing {p}."],
            &["{P}."],
            &["Re {p}."],
            &["It's {p}, as per my email."],
        ],
    ));

    // Once, for some callers, something said where a question was put instead of its answer;
    // the answer comes when the question is put again.
    let aside = if !rng.random_bool(0.4) {
        None
    } else {
        match style {
            Style::Storyteller => Some(Aside {
                at: Asked::Name,
                say: "Oh, um, sorry, I was miles away, what did you need?".into(),
            }),
            Style::Learner if matches!(first_goal, Goal::Book) => Some(Aside {
                at: Asked::Purpose,
                say: "Sorry, my English, you can say again more slowly?".into(),
            }),
            Style::Numeric if matches!(first_goal, Goal::Book | Goal::Move) => Some(Aside {
                at: Asked::Proposal,
                say: "Sorry, is that this week or next week?".into(),
            }),
            Style::FollowUp if !number_said.is_empty() => Some(Aside {
                at: Asked::Number,
                say: fill("Doesn't {exec} have it from my emails?"),
            }),
            _ => None,
        }
    };

    s.lines = Lines {
        opening: cap(&opening),
        next_goals,
        restate,
        name: name_line,
        name_fix: fill(by(
            rng,
            style,
            [
                &["No, um, sorry, it's {name}."],
                &["No, no, my name is {name}."],
                &["No. {name}."],
                &["No, it's {name}."],
                &["Close, but it's {name}."],
            ],
        )),
        spelling: format!("{}.", cap(&spelled_last)),
        spelling_full: {
            let first_spelled = spell(style, &first);
            let first_spelled = first_spelled
                .trim_start_matches("um, ")
                .trim_end_matches(", as on my emails");
            format!("{}. {}.", cap(first_spelled), cap(&spelled_last))
        },
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
        yes: by(
            rng,
            style,
            [
                &["Um, yeah, yeah.", "Yeah, that's it."],
                &["Yes, correct.", "Yes, is correct."],
                &["Yes.", "Yep."],
                &["Yes, that's right.", "Correct."],
                &["Yes, spot on.", "That's right, cheers."],
            ],
        )
        .into(),
        yes_again: by(
            rng,
            style,
            [
                &["Yes, sorry, yes, that's right."],
                &["Yes, yes, it is correct."],
                &["Yes. Correct."],
                &["Yes, that's right."],
                &["Yes, that's all correct, thank you."],
            ],
        )
        .into(),
        no: by(
            rng,
            style,
            [
                &["Um, no, not quite."],
                &["No, is not correct."],
                &["No."],
                &["No, that's wrong."],
                &["Not quite, no."],
            ],
        )
        .into(),
        decline: by(
            rng,
            style,
            [
                &["Oh, um, no, that's okay."],
                &["No, thank you very much."],
                &["No."],
                &["No, thanks."],
                &["No, you're all right, thanks."],
            ],
        )
        .into(),
        bye: by(
            rng,
            style,
            [
                &["No, um, I think that's it, actually. Thanks, bye."],
                &["No, that is all. Thank you very much, goodbye."],
                &["No. Bye."],
                &["No, that's it. Thanks."],
                &["No, that's everything, cheers. Bye now."],
            ],
        )
        .into(),
        give_up: by(
            rng,
            style,
            [
                &["Oh, um, whatever, that's fine."],
                &["Okay, okay, is fine."],
                &["Fine."],
                &["Fine, leave it."],
                &["Oh, never mind, that'll do."],
            ],
        )
        .into(),
        want_message: by(
            rng,
            style,
            [
                &["Um, a message, I guess."],
                &["Message, please."],
                &["Message."],
                &["A message."],
                &["A message would be grand, thanks."],
            ],
        )
        .into(),
        want_person: by(
            rng,
            style,
            [
                &["Um, a person, it's urgent."],
                &["Person, please, is urgent."],
                &["Person. Urgent."],
                &["A person, it's urgent."],
                &["I'd rather a person, it's urgent."],
            ],
        )
        .into(),
        aside,
    };
    tidy(&mut s.lines);
    settle(&mut s.lines);
    s.id = s.id.replacen('c', "n", 1);
    s
}

/// An FAQ asked in this phrasebook's own words.
fn faq_question(rng: &mut StdRng, style: Style, id: &str) -> String {
    let forms: [&[&str]; 5] = match id {
        "hours" => [
            &["So, um, I was going to drop by, and, um, what time are you, like, open till?"],
            &["Please, which time your office is opening?"],
            &["Opening hours?"],
            &["What are the office hours, 9 to 5?"],
            &["I was wondering what time the office opens of a morning?"],
        ],
        "address" => [
            &["So, um, I'm trying to find you, what's the, um, the street address?"],
            &["Please, where is your office located, which address?"],
            &["Address?"],
            &["What's the street number and address of the office?"],
            &["Could you remind me of the office address? I had it in an email somewhere."],
        ],
        "parking" => [
            &["So, um, I'm driving over, is there, like, somewhere to park?"],
            &["Please, there is a place for parking the car?"],
            &["Parking?"],
            &["Is there parking, and how many spaces?"],
            &["Is there anywhere to park the car, do you reckon?"],
        ],
        "documents" => [
            &["So, um, I've signed all the papers, and, um, where do I actually send them?"],
            &["Please, the signed documents, where I must send?"],
            &["Signed documents. Where?"],
            &["Where do the signed documents go, which address?"],
            &["Following up on the contract, where should the signed documents go?"],
        ],
        "press" => [
            &["So, um, I'm writing a story, and I need, like, whoever does press?"],
            &["Please, I am journalist, who is person for the media?"],
            &["Press contact?"],
            &["Who is the press contact, name and email?"],
            &["I'm with the paper, who should I speak to about press, do you reckon?"],
        ],
        "jobs" => [
            &["So, um, my friend said you might be hiring, are you, like, hiring?"],
            &["Please, your company is having job vacancy?"],
            &["Jobs? Hiring?"],
            &["Are there open positions, and where are they listed?"],
            &["I was wondering if you might be taking on staff at the moment?"],
        ],
        _ => [
            &["So, um, I have a question."],
            &["Please, I have one question."],
            &["Question."],
            &["A question, please."],
            &["I've a quick question, if I may."],
        ],
    };
    by(rng, style, forms).to_string()
}
