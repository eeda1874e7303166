//! The eighth held-out phrasebook: the generator's facts said by callers who follow none of the
//! earlier scripts, written from the facts before its author read the dialog's code.
//!
//! The facts (who calls, what they want, the wished instant, the expected result) come from
//! [`super::generate`] with [`HELDOUT8_SEED`]; the words and some habits are new. Each caller
//! talks one of five ways ([`Style`]):
//! - sceptics who test the agent in the same breath as they answer ("Am I talking to an actual
//!   person?", "Can you even put things in the calendar?", "Will Alex actually see this?") and
//!   carry on with their goal;
//! - switchers who start one goal and turn to another in the same breath ("I was going to leave
//!   Alex a message, but actually, can I just book a meeting?", "I need to move my meeting,
//!   well, no, let's just cancel it"), or announce how many things they have ("Two things.
//!   First, …");
//! - callers who name days and times relative to today or to the day's shape ("the day after
//!   tomorrow", "a week from tomorrow", "a week on Friday", "not this Thursday, the one after",
//!   "the first Tuesday in December", "first thing, 9 in the morning", "end of the day, 5pm");
//! - callers who give facts in pieces and defer them ("area code 617, then 555-0123", "the
//!   surname's Krishnan, first name Deepa", "Hang on, it's a new phone, let me look it up",
//!   "Thursday. The 26th. At 2. In the afternoon.");
//! - callers who dictate as if filling in a form, with the field's label first ("Name: Deepa
//!   Krishnan. Company: Meridian Health.", "Date: Thursday the 26th. Time: 2pm.", "Subject: the
//!   audit findings.").
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

/// The seed of the eighth held-out phrasebook's facts and wording.
pub const HELDOUT8_SEED: u64 = 0x8E1D_5EA7;

/// Calls in the eighth held-out phrasebook run.
pub const HELDOUT8_CALLS: usize = 80;

/// `n` calls of the eighth held-out phrasebook: the generator's facts from `seed`, every line
/// said its way.
pub fn heldout8(persona: &Persona, now: DateTime<Utc>, seed: u64, n: usize) -> Vec<FactSheet> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x0DD_BA11);
    generate(persona, now, seed, n)
        .into_iter()
        .map(|sheet| rephrase(persona, now, &mut rng, sheet))
        .collect()
}

/// How a caller talks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// Tests the agent, then carries on.
    Sceptic,
    /// Starts one goal and turns to another, or announces how many things they have.
    Switcher,
    /// Days and times relative to today or to the day's shape.
    Relative,
    /// Facts in pieces, some deferred.
    Piecemeal,
    /// Dictates as if filling in a form.
    Dictator,
}

/// One phrasing for this caller's style, from five lists in [`Style`] order.
fn by<'a>(rng: &mut StdRng, style: Style, forms: [&[&'a str]; 5]) -> &'a str {
    let i = match style {
        Style::Sceptic => 0,
        Style::Switcher => 1,
        Style::Relative => 2,
        Style::Piecemeal => 3,
        Style::Dictator => 4,
    };
    pick(rng, forms[i])
}

/// What a sceptic asks of the agent before carrying on.
const PROBES: &[&str] = &[
    "Am I talking to an actual person? No? Okay, whatever.",
    "Is this one of those AI things? Fine.",
    "Wait, is this a recording? Okay, I'll just talk.",
    "You're a bot, aren't you? Alright, let's see if you can handle this.",
];

/// A phone number as this caller says it (as whisper writes it).
fn write_number(rng: &mut StdRng, style: Style, d: &str) -> String {
    if d.len() != 10 {
        let tail = &d[8..];
        return match (style, rng.random_range(0..2)) {
            (Style::Sceptic, _) => format!("+44 20 7946 {tail}. Can you even call the UK?"),
            (Style::Switcher, _) => format!("+44 20 7946 {tail}"),
            (Style::Relative, _) => format!("+44 20 7946 {tail}"),
            (Style::Piecemeal, 0) => format!("+44, then 20, then 7946 {tail}"),
            (Style::Piecemeal, _) => format!("country code 44, then 20 7946 {tail}"),
            (Style::Dictator, _) => format!("plus 44, 20, 7946, {tail}"),
        };
    }
    let (a, b, c) = (&d[..3], &d[3..6], &d[6..]);
    match (style, rng.random_range(0..2)) {
        (Style::Sceptic, 0) => format!("{a}-{b}-{c}. Did you actually get that?"),
        (Style::Sceptic, _) => format!("{a} {b} {c}"),
        (Style::Switcher, 0) => format!("{a}-{b}-{c}"),
        (Style::Switcher, _) => format!("{a}{b}{c}"),
        (Style::Relative, 0) => format!("{a} {b} {c}"),
        (Style::Relative, _) => format!("{a}-{b}-{c}"),
        (Style::Piecemeal, 0) => format!("area code {a}, then {b}-{c}"),
        (Style::Piecemeal, _) => format!("{a}, that's the area code, and then {b} {c}"),
        (Style::Dictator, 0) => format!("{a}, {b}, {c}"),
        (Style::Dictator, _) => format!("{a}-{b}-{c}"),
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

/// The part of the day an hour is in, as words: "in the morning", "in the afternoon".
fn part_of_day(h: u32) -> &'static str {
    if h < 12 {
        "in the morning"
    } else if h < 18 {
        "in the afternoon"
    } else {
        "in the evening"
    }
}

/// A clock time on the hour or half hour as this caller says it; `foreign` when it is the
/// caller's own zone (then the part of the day is always said).
fn write_time(rng: &mut StdRng, style: Style, t: NaiveTime, foreign: bool) -> String {
    let (h, m) = (t.hour(), t.minute());
    let ampm = if h < 12 { "am" } else { "pm" };
    let part = part_of_day(h);
    if h == 12 && m == 0 {
        return by(
            rng,
            style,
            [
                &["12 noon", "noon"],
                &["noon", "12, noon"],
                &["midday", "12 midday"],
                &["12. Noon.", "noon"],
                &["12 noon", "12:00 p.m."],
            ],
        )
        .to_string();
    }
    let mut forms: Vec<String> = Vec::new();
    match (style, m) {
        (Style::Sceptic, 0) => {
            forms.push(format!("{}{ampm}", h12(h)));
            forms.push(format!("{} o'clock {part}", h12(h)));
        }
        (Style::Sceptic, _) => forms.push(format!("{}:30{ampm}", h12(h))),
        (Style::Switcher, 0) => forms.push(format!("{}{ampm}", h12(h))),
        (Style::Switcher, _) => forms.push(format!("{}:30 {ampm}", h12(h))),
        (Style::Relative, 0) => {
            forms.push(format!("{} {part}", h12(h)));
            if h == 9 && !foreign {
                forms.push("first thing, 9 in the morning".to_string());
            }
            if h == 16 && !foreign {
                forms.push("end of the day, 4pm".to_string());
            }
            if (13..=14).contains(&h) && !foreign {
                forms.push(format!("after lunch, {}pm", h12(h)));
            }
        }
        (Style::Relative, _) => {
            forms.push(format!("half past {} {part}", h12(h)));
            if h == 12 && !foreign {
                forms.push("lunchtime, 12:30".to_string());
            }
        }
        (Style::Piecemeal, 0) => {
            forms.push(format!("{}. {}.", h12(h), cap(part)));
            forms.push(format!("{} o'clock. {}.", h12(h), cap(part)));
        }
        (Style::Piecemeal, _) => forms.push(format!("{}:30. {}.", h12(h), cap(part))),
        (Style::Dictator, 0) => {
            forms.push(format!("{}:00 {}", h12(h), dotted(ampm)));
            forms.push(format!("{}{ampm}", h12(h)));
        }
        (Style::Dictator, _) => forms.push(format!("{}:30 {}", h12(h), dotted(ampm))),
    }
    forms.choose(rng).cloned().unwrap_or_default()
}

/// "am" or "pm" as whisper writes it with stops.
fn dotted(ampm: &str) -> &'static str {
    if ampm == "am" {
        "a.m."
    } else {
        "p.m."
    }
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
            &["wait, are you getting this? I mean", "no, sorry, I mean"],
            &["no, hold on, better make that", "actually, no, let's say"],
            &[
                "or no, an hour later, no, earlier, well,",
                "no, that's wrong, it's",
            ],
            &["no. Sorry. It's", "hang on, no, I read that wrong,"],
            &["correction, time:", "no, scratch that, time:"],
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

/// A day named from `today` the way this caller names it, precise on its own.
fn write_day(rng: &mut StdRng, style: Style, date: NaiveDate, today: NaiveDate) -> String {
    let ahead = (date - today).num_days();
    let weekday = date.format("%A").to_string();
    let month = date.format("%B").to_string();
    let nth = ordinal(date.day());
    let monday = next_monday(today);
    let this_week = ahead >= 1 && date < monday;
    let next_week = date >= monday && date < monday + Duration::days(7);
    // The same weekday a week earlier is still ahead this week.
    let week_on = {
        let before = date - Duration::days(7);
        (before - today).num_days() >= 1 && before < monday
    };
    let first_in_month = date.day() <= 7 && date.month() != today.month();
    let mut forms: Vec<String> = Vec::new();
    match style {
        Style::Sceptic => {
            forms.push(format!("{weekday} the {nth}"));
            forms.push(format!("{weekday}, {month} {nth}"));
        }
        Style::Switcher => {
            forms.push(format!("{weekday} the {nth}"));
            if next_week {
                forms.push(format!("next week, {weekday}"));
            }
        }
        Style::Relative => {
            if ahead == 1 {
                forms.push("tomorrow".to_string());
            }
            if ahead == 2 {
                forms.push("the day after tomorrow".to_string());
                forms.push(format!("{weekday}, so the day after tomorrow"));
            }
            if this_week && ahead > 2 {
                forms.push(format!("this {weekday}, the {nth}"));
            }
            if ahead == 7 {
                forms.push("a week from today".to_string());
            }
            if ahead == 8 {
                forms.push("a week from tomorrow".to_string());
            }
            if ahead == 14 {
                forms.push("2 weeks from today".to_string());
            }
            if week_on {
                forms.push(format!("a week on {weekday}"));
                forms.push(format!("not this {weekday}, the one after"));
            }
            if next_week {
                forms.push(format!("{weekday} of next week"));
            }
            if first_in_month {
                forms.push(format!("the first {weekday} in {month}"));
            }
            if forms.is_empty() {
                forms.push(format!("{weekday} the {nth}"));
            }
        }
        Style::Piecemeal => {
            forms.push(format!("{weekday}. The {nth}"));
            forms.push(format!("the {nth}. Of {month}. A {weekday}"));
        }
        Style::Dictator => {
            forms.push(format!("date: {weekday} the {nth}"));
            forms.push(format!("date: {month} {nth}"));
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
        (Style::Sceptic, 0) => format!("{zone}. Do you even know what time it is in {city}?"),
        (Style::Sceptic, _) => format!("{city} time"),
        (Style::Switcher, 0) => format!("{zone}, I'm in {city}"),
        (Style::Switcher, _) => format!("{city} time"),
        (Style::Relative, 0) => format!("my time, I'm in {city}"),
        (Style::Relative, _) => zone.to_string(),
        (Style::Piecemeal, 0) => format!("my time. I'm in {city}"),
        (Style::Piecemeal, _) => format!("{city} time. Not Boston"),
        (Style::Dictator, 0) => format!("time zone: {zone}"),
        (Style::Dictator, _) => format!("time zone {abbr}, {city}"),
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
        (Style::Sceptic, 0) => format!("{day} at {time}"),
        (Style::Sceptic, _) => format!("{time} on {day}"),
        (Style::Switcher, _) => format!("{day} at {time}"),
        (Style::Relative, 0) => format!("{day}, {time}"),
        (Style::Relative, _) => format!("{day} at {time}"),
        (Style::Piecemeal, _) => {
            let time = time.trim_end_matches('.');
            format!("{day}. At {time}")
        }
        (Style::Dictator, _) => format!("{day}. Time: {time}"),
    }
}

/// A clock time picked from offered ones.
fn pick_time(style: Style, t: NaiveTime) -> String {
    let (h, m) = (t.hour(), t.minute());
    let ampm = if h < 12 { "am" } else { "pm" };
    match (style, m) {
        (_, 0) if h == 12 => "noon".into(),
        (Style::Relative, 0) => format!("{} {}", h12(h), part_of_day(h)),
        (Style::Relative, _) => format!("half past {}", h12(h)),
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
        Style::Sceptic => format!("{}. Can you spell?", letters.join(", ")),
        Style::Switcher => letters.join("-"),
        Style::Relative => letters.join(" "),
        Style::Piecemeal => {
            // In pieces of three.
            letters
                .chunks(3)
                .map(|c| c.join(" "))
                .collect::<Vec<_>>()
                .join(", ")
        }
        Style::Dictator => format!("spelling: {}", letters.join("-")),
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
        Style::Sceptic,
        Style::Switcher,
        Style::Relative,
        Style::Piecemeal,
        Style::Dictator,
    ]
    .choose(rng)
    .unwrap_or(&Style::Relative);
    let probe = pick(rng, PROBES).to_string();
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
                            &["no, wait, you'll get this wrong, I mean"],
                            &["no, actually, let's do"],
                            &["no, hang on, I've got my days mixed up,"],
                            &["no. Sorry. Wrong one. It's"],
                            &["correction:"],
                        ],
                    )
                )
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
                &["It's {first} {last}. {exec} knows me, if that means anything to a machine."],
                &["It's {first} {last}, {exec} and I know each other."],
                &["{first} {last} here, {exec} knows me."],
                &["Surname's {last}. First name {first}. {exec} knows me."],
                &["Name: {first} {last}. Relationship: {exec} knows me."],
            ],
        )
    } else if spelled {
        by(
            rng,
            style,
            [
                &["It's {name}, and I bet you can't spell it: {spelled}."],
                &["I'm {name}, {spelled} for the last name."],
                &["It's {name}, last name {spelled}."],
                &["Surname's {last}, {spelled}. First name {first}."],
                &["Name: {name}. Last name, {spelled}."],
            ],
        )
    } else {
        by(
            rng,
            style,
            [
                &["It's {name}, {company}, if you're writing this down."],
                &["This is {name} from {company}."],
                &["It's {name} at {company}."],
                &["Surname's {last}. First name {first}. I'm at {company}."],
                &["Name: {name}. Company: {company}."],
            ],
        )
    })
    .replace("{spelled}", &spelled_last);

    let number_ahead = match &s.callback {
        Callback::CallerId => by(
            rng,
            style,
            [
                &["You can see my number, right? Use that one."],
                &["Call me back on this number."],
                &["This number's best for a call back."],
                &["The number. Use this one. The one I'm on."],
                &["Callback: this number, the one I'm calling from."],
            ],
        )
        .to_string(),
        Callback::Spoken(_) => by(
            rng,
            style,
            [
                &["My number's {n}."],
                &["You can reach me on {n}."],
                &["My number is {n}."],
                &["The number. It's {n}."],
                &["Number: {n}."],
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
                    &["Can you even take messages? Okay. Tell {exec} that {content}."],
                    &[
                        "I was going to ask for a meeting, but no, just tell {exec} that {content}.",
                        "Can I book, hmm, no, forget that. Please tell {exec} that {content}.",
                    ],
                    &["I'd like {exec} to hear first thing tomorrow that {content}."],
                    &["A message for {exec}. It's this. {Content}."],
                    &["Message for {exec}. Text: {content}."],
                ],
            )
            .to_string(),
            Goal::Message => by(
                rng,
                style,
                [
                    &["Will {exec} actually see a message if I leave one?"],
                    &[
                        "I wanted a word with {exec}, but no, actually, I'll just leave a message.",
                        "I was going to book something with {exec}, but actually, I'll just leave a message.",
                    ],
                    &["I'd like to leave {exec} a message for the morning."],
                    &["A message. For {exec}. Can I leave one?"],
                    &["Purpose of call: a message for {exec}."],
                ],
            )
            .to_string(),
            Goal::Book => {
                let mut o = by(
                    rng,
                    style,
                    [
                        &[
                            "Can you actually put things in {exec}'s calendar? I need a meeting.",
                            "Let's see if you can book a meeting with {exec}.",
                        ],
                        &[
                            "I was going to leave {exec} a message, but actually, can I just book a meeting?",
                            "I'll leave a message, or no, wait, better to book a meeting with {exec}.",
                        ],
                        &[
                            "I'm after a meeting with {exec} sometime soon.",
                            "I'd like to get a meeting in {exec}'s diary.",
                        ],
                        &["A meeting. With {exec}. That's what I need."],
                        &["Request: a meeting with {exec}."],
                    ],
                )
                .to_string();
                if volunteered {
                    o.push_str(by(
                        rng,
                        style,
                        [
                            &[" It's about {p}, if you can write that down."],
                            &[" It's about {p}."],
                            &[" We need to talk about {p}."],
                            &[" It's about. Um. {P}."],
                            &[" Subject: {p}."],
                        ],
                    ));
                    // The wish too: always by a self-repairer's first goal, by others often.
                    let says_when = if corrected_time {
                        first_goal
                    } else {
                        style == Style::Dictator || rng.random_bool(0.5)
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
                    &["Does {exec} have anything free {w}? Can you even see the calendar?"],
                    &["I was going to ask something else, but, is {exec} free {w}? I'd like to meet."],
                    &["Would {exec} be free {w}? I'd like to meet."],
                    &["Is {exec} free. {W}. For a meeting."],
                    &["Question: is {exec} free? {W}. I want a meeting."],
                ],
            )
            .replace("{w}", &w)
            .replace("{W}", &cap(&w)),
            Goal::Move => {
                let mut o = by(
                    rng,
                    style,
                    [
                        &["Can you even move meetings? I've got one with {exec} that needs moving."],
                        &["I need to cancel my meeting with {exec}, well, no, not cancel, move it."],
                        &["I need to push my meeting with {exec} to another day."],
                        &["My meeting with {exec}. I need to move it."],
                        &["Request: move my meeting with {exec}."],
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
                                &[" I'd want {w}."],
                                &[" Could we do {w}?"],
                                &[" Could it be {w} instead?"],
                                &[" New time. {W}."],
                                &[" New {w}."],
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
                    &["Can you cancel things, or just take messages? I need my meeting with {exec} cancelled."],
                    &["I need to move my meeting with {exec}, well, actually, no, let's just cancel it."],
                    &["I won't make my meeting with {exec}, I need to cancel it."],
                    &["My meeting with {exec}. I have to cancel it."],
                    &["Request: cancel my meeting with {exec}."],
                ],
            )
            .to_string(),
            Goal::Faq(id) => faq_question(rng, style, id),
            Goal::Person => by(
                rng,
                style,
                [
                    &["You're not a person, are you? Put me through to one."],
                    &["I was going to leave a message, but no, I'd rather speak to someone."],
                    &["Is there someone there I can speak to this evening?"],
                    &["A person. I need to talk to a person."],
                    &["Request: a person on the line."],
                ],
            )
            .to_string(),
            Goal::Urgent => by(
                rng,
                style,
                [
                    &["Can you even reach {exec}? It's urgent: {content}. I need {exec} tonight."],
                    &["I was going to leave a message, but no, this can't wait: {content}. I need {exec} tonight."],
                    &["This can't wait till the morning: {content}. I need {exec} tonight."],
                    &["It's urgent. {Content}. I need {exec}. Tonight."],
                    &["Priority: urgent. {Content}. I need {exec} tonight."],
                ],
            )
            .to_string(),
        };
        fill(&o)
    };
    let request = opener(&first_goal, rng, true);
    let introduces =
        (volunteered || known && rng.random_bool(0.5)) && !matches!(first_goal, Goal::Faq(_));
    let mut opening = if introduces {
        if matches!(style, Style::Dictator | Style::Piecemeal) || rng.random_bool(0.5) {
            format!("{intro} {request}")
        } else {
            format!("{request} {intro}")
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
    // A switcher with more than one thing says so first.
    if style == Style::Switcher && goals.len() > 1 {
        opening = format!(
            "{} {opening}",
            pick(
                rng,
                &[
                    "Two things. First,",
                    "I've got two things, okay? First one:"
                ]
            )
        );
    }
    if style == Style::Sceptic && rng.random_bool(0.5) {
        opening = format!("{probe} {opening}");
    }
    let greeting = by(
        rng,
        style,
        [
            &["Hello? Hello.", "Hi. Right,"],
            &["Hi there,", "Evening,"],
            &["Good evening,", "Hi, hello,"],
            &["Hi, okay, let me see,", "Hello, right,"],
            &["Hi, I'll make this quick.", "Hello, ready?"],
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
                        "While I've got you, and let's see if you know this,",
                        "One more, if you can handle it,",
                    ],
                    &["Okay, the second thing,", "And the other thing,"],
                    &["Oh, and also,", "And another thing,"],
                    &["Also. One more.", "Next thing."],
                    &["Item two:", "Second item:"],
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
                        &["Look, I just want to leave {exec} a message. Can you do that?"],
                        &["No, just a message for {exec}, that's all."],
                        &["I'd just like to leave a message for {exec}."],
                        &["A message. For {exec}."],
                        &["Request: a message for {exec}."],
                    ],
                ),
                Goal::Book | Goal::FreeThenBook => by(
                    rng,
                    style,
                    [
                        &["Look, I just want to book a meeting with {exec}. Can you do that?"],
                        &["No, a meeting with {exec}, that's what I want now."],
                        &["I'd just like to book a meeting with {exec}."],
                        &["A meeting. With {exec}. To book."],
                        &["Request: book a meeting with {exec}."],
                    ],
                ),
                Goal::Move => by(
                    rng,
                    style,
                    [
                        &["Look, I just want to move my meeting with {exec}. Can you do that?"],
                        &["No, move it, my meeting with {exec}, don't cancel it."],
                        &["I'd just like to move my meeting with {exec}."],
                        &["My meeting with {exec}. Move it."],
                        &["Request: move my meeting with {exec}."],
                    ],
                ),
                Goal::Cancel => by(
                    rng,
                    style,
                    [
                        &["Look, I just want to cancel my meeting with {exec}. Can you do that?"],
                        &["No, cancel it, my meeting with {exec}, don't move it."],
                        &["I'd just like to cancel my meeting with {exec}."],
                        &["My meeting with {exec}. Cancel it."],
                        &["Request: cancel my meeting with {exec}."],
                    ],
                ),
                Goal::Faq(id) => return faq_question(rng, style, id),
                Goal::Person => by(
                    rng,
                    style,
                    [
                        &["Look, can I just speak to a human being?"],
                        &["No, I'd rather speak to someone."],
                        &["I'd just like to speak to someone, please."],
                        &["A person. Please."],
                        &["Request: a person."],
                    ],
                ),
                Goal::Urgent => by(
                    rng,
                    style,
                    [
                        &["Look, it's urgent, can you get hold of {exec} tonight or not?"],
                        &["No, it can't wait, I need {exec} tonight."],
                        &["It can't wait till the morning, I need {exec} tonight."],
                        &["Urgent. {exec}. Tonight."],
                        &["Priority: urgent. I need {exec} tonight."],
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
                &["{name}. Write it down properly."],
                &["It's {name}."],
                &["{name}."],
                &["Surname {last}. First name {first}."],
                &["Name: {name}."],
            ],
        )) + &format!(" {}.", cap(&spelled_last))
    } else {
        fill(by(
            rng,
            style,
            [
                &["It's {name}. Are you going to remember that?", "{name}."],
                &["It's {name}.", "{name}, sorry."],
                &["{name}.", "It's {name}, thanks."],
                &["Surname {last}. First name {first}.", "{first}. {last}."],
                &["Name: {name}.", "First name {first}, last name {last}."],
            ],
        ))
    };
    let number_line = match &s.callback {
        Callback::CallerId => by(
            rng,
            style,
            [
                &["Can't you see it? The one I'm calling from."],
                &["This one, the one I'm calling on."],
                &["The number I'm calling from is fine."],
                &["This number. The one I'm on now."],
                &["Callback: this number."],
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
                    &["{w}, no, hold on, let's see if you catch this, {n}."],
                    &["{w}, no, actually, that's my old one, it's {n}."],
                    &["{w}, no, sorry, it's {n}."],
                    &["{w}. No. Wrong. {n}."],
                    &["{w}. Correction: {n}."],
                ],
            )
            .replace("{w}", &write_number(rng, style, &w))
            .replace("{n}", &number_said)
        }
        Callback::Spoken(_) => by(
            rng,
            style,
            [
                &["{n}."],
                &["It's {n}."],
                &["It's {n}, thanks."],
                &["Okay. {n}."],
                &["Number: {n}."],
            ],
        )
        .replace("{n}", &number_said),
    };
    let number_fix = match &s.callback {
        Callback::CallerId => by(
            rng,
            style,
            [
                &["No. See, this is why I wanted a person. The one I'm calling from."],
                &["No, not that one, the one I'm calling from."],
                &["No, the number I'm calling from, please."],
                &["No. This number. The one I'm on."],
                &["Incorrect. Callback: this number."],
            ],
        )
        .to_string(),
        Callback::Spoken(_) => by(
            rng,
            style,
            [
                &["No. See, this is why I wanted a person. It's {n}."],
                &["No, not that, it's {n}."],
                &["No, it's {n}, please."],
                &["No. Again. {n}."],
                &["Incorrect. Number: {n}."],
            ],
        )
        .replace("{n}", &number_said),
    };
    let number_digits = match &s.callback {
        Callback::Spoken(d) => d
            .chars()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join(", "),
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
                        &["{W}. If you can manage that.", "{W}."],
                        &["{W}, I think. Yes, {w}."],
                        &["{W}, if that works.", "{W}, please."],
                        &["{W}."],
                        &["{W}."],
                    ],
                )
                .replace("{w}", right)
                .replace("{W}", &cap(right))
            };
            let again = by(
                rng,
                style,
                [
                    &["No, that's not what I said. {W}."],
                    &["No, {w}, that's the one."],
                    &["No, sorry, {w}."],
                    &["No. {W}."],
                    &["Incorrect. {W}."],
                ],
            )
            .replace("{w}", right)
            .replace("{W}", &cap(right));
            let change = changed_mind.then(|| {
                by(
                    rng,
                    style,
                    [
                        &["Hm, actually, no, let's try {w}. Can you handle that?"],
                        &["Actually, no, let's change it, {w}."],
                        &["Oh, actually, that's no good for me after all. {W} instead?"],
                        &["No. Wait. {W}. That's better."],
                        &["Amendment: {w} instead."],
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
                    &["{T}. Good, you found it."],
                    &["{T}, that one."],
                    &["{T} would be lovely."],
                    &["{T}. That one."],
                    &["Selection: {t}."],
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
                    &["Can't you look it up? {W}."],
                    &["It's {w}."],
                    &["It's {w}, I believe."],
                    &["It's. Let me check. {W}."],
                    &["Current booking. {W}."],
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
            &["Tell {exec} that {content}. Got all that?"],
            &["Just that {content}."],
            &["Could you tell {exec} that {content}?"],
            &["It's this. {Content}. That's it."],
            &["Message text: {content}. End of message."],
        ],
    ));
    let purpose_line = fill(by(
        rng,
        style,
        [
            &["{P}. Will {exec} actually see that?"],
            &["It's about {p}."],
            &["We need to go over {p}."],
            &["It's about. {P}."],
            &["Subject: {p}."],
        ],
    ));

    // Once, for some callers, something said where a question was put instead of its answer;
    // the answer comes when the question is put again.
    let aside = if !rng.random_bool(0.4) {
        None
    } else {
        match style {
            Style::Sceptic => Some(Aside {
                at: Asked::Name,
                say: "Wait, before I give you that, is this call being recorded?".into(),
            }),
            Style::Switcher if matches!(first_goal, Goal::Book) => Some(Aside {
                at: Asked::Purpose,
                say: "Hmm, should I just leave a message instead? No, no, let's book it. What was the question?".into(),
            }),
            Style::Relative if matches!(first_goal, Goal::Book | Goal::Move) => Some(Aside {
                at: Asked::Proposal,
                say: "Hold on, what's today's date again?".into(),
            }),
            Style::Piecemeal if !number_said.is_empty() => Some(Aside {
                at: Asked::Number,
                say: "Hang on, it's a new phone, let me look it up.".into(),
            }),
            Style::Dictator => Some(Aside {
                at: Asked::ReadBack,
                say: "Wait, let me get a pen. Okay, go ahead.".into(),
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
                &["No. See, this is why I wanted a person. It's {name}."],
                &["No, it's {name}."],
                &["No, sorry, it's {name}."],
                &["No. Surname {last}. First name {first}."],
                &["Incorrect. Name: {name}."],
            ],
        )),
        spelling: format!("{}.", cap(&spelled_last)),
        spelling_full: if style == Style::Dictator {
            format!(
                "First name, {}. Last name, {}.",
                spell(style, &first),
                spelled_last
            )
        } else {
            let first_spelled = spell(style, &first);
            let first_spelled = first_spelled
                .trim_end_matches(" Can you spell?")
                .trim_end_matches('.');
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
                &["Yes. Huh, you got it.", "Yes, surprisingly."],
                &["Yes, that's it.", "Yeah."],
                &["Yes, lovely.", "That's right, yes."],
                &["Yes.", "Yes. Right."],
                &["Confirmed.", "Correct, all of it."],
            ],
        )
        .into(),
        yes_again: by(
            rng,
            style,
            [
                &["Yes! I said yes."],
                &["Yes, that's right."],
                &["Yes, that's all right, thank you."],
                &["Yes. That's right. Yes."],
                &["Yes. Confirmed."],
            ],
        )
        .into(),
        no: by(
            rng,
            style,
            [
                &["No, you've got that wrong."],
                &["No, that's not it."],
                &["No, I'm afraid not."],
                &["No. Not right."],
                &["Incorrect."],
            ],
        )
        .into(),
        decline: by(
            rng,
            style,
            [
                &["No, I'm good."],
                &["No, no need."],
                &["No, that's all right, thanks."],
                &["No. Thanks."],
                &["Negative, thanks."],
            ],
        )
        .into(),
        bye: by(
            rng,
            style,
            [
                &["No, that's it. Better than I expected. Bye."],
                &["No, that's everything. Bye."],
                &["No, that's all, thank you. Have a good evening."],
                &["No. That's all. Bye."],
                &["No further items. Goodbye."],
            ],
        )
        .into(),
        give_up: by(
            rng,
            style,
            [
                &["Forget it. Whatever you've got."],
                &["Okay, fine, leave it."],
                &["Oh, never mind, that'll do."],
                &["Fine. Okay."],
                &["Fine. Proceed."],
            ],
        )
        .into(),
        want_message: by(
            rng,
            style,
            [
                &["A message, I suppose."],
                &["A message, then."],
                &["A message would be fine."],
                &["Message. A message."],
                &["Option: a message."],
            ],
        )
        .into(),
        want_person: by(
            rng,
            style,
            [
                &["A real person. It's urgent."],
                &["No, a person, it's urgent."],
                &["I'd like a person, please, it's urgent."],
                &["A person. Urgent."],
                &["Option: a person. It's urgent."],
            ],
        )
        .into(),
        aside,
    };
    tidy(&mut s.lines);
    settle(&mut s.lines);
    s.id = s.id.replacen('c', "e", 1);
    s
}

/// An FAQ asked in this phrasebook's own words.
fn faq_question(rng: &mut StdRng, style: Style, id: &str) -> String {
    let forms: [&[&str]; 5] = match id {
        "hours" => [
            &["Do you even know your own opening hours?"],
            &["I was going to come by, actually, what hours is the office open?"],
            &["What time does the office open the day after tomorrow?"],
            &["Your hours. When are you open?"],
            &["Question: office hours?"],
        ],
        "address" => [
            &["Can a machine tell me where the office is?"],
            &["I was going to ask for directions, actually, what's the address?"],
            &["I'm coming in next week, what's the street address?"],
            &["The office. Where is it? The address."],
            &["Question: office address?"],
        ],
        "parking" => [
            &["Do you know if there's parking, or is that too hard?"],
            &["I'll be driving, actually, is there a car park?"],
            &["When I come in, where can I leave the car?"],
            &["Parking. Is there any? For visitors."],
            &["Question: visitor parking?"],
        ],
        "documents" => [
            &["Can you tell me where signed papers go, or is that beyond you?"],
            &["I was going to post them, actually, where do the signed documents go?"],
            &["I've signed the papers today, where do they go?"],
            &["The documents. Signed ones. Where do I send them?"],
            &["Question: where to send signed documents?"],
        ],
        "press" => [
            &["I'm a journalist. Do you even have a press person?"],
            &["I was going to email, actually, who handles media enquiries?"],
            &["I'm writing a piece for next week, who handles the press?"],
            &["Press. I'm press. Who do I talk to?"],
            &["Question: media contact?"],
        ],
        "jobs" => [
            &["Are you hiring, or would a bot not know?"],
            &["I was going to send a CV, actually, are there any vacancies?"],
            &["Are there any job openings this month?"],
            &["Jobs. Are you hiring?"],
            &["Question: current vacancies?"],
        ],
        _ => [
            &["Can you answer a question?"],
            &["Actually, a question."],
            &["A quick question."],
            &["A question. One."],
            &["Question."],
        ],
    };
    by(rng, style, forms).to_string()
}
