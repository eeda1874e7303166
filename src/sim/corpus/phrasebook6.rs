//! The sixth held-out phrasebook: the generator's facts said by callers who follow none of the
//! earlier scripts, written from the facts before its author read the dialog's code.
//!
//! The facts (who calls, what they want, the wished instant, the expected result) come from
//! [`super::generate`] with [`HELDOUT6_SEED`]; the words and some habits are new. Each caller
//! talks one of five ways ([`Style`]):
//! - an assistant ringing on behalf of their employer, whose name is the one to record ("I'm
//!   calling on behalf of Dana Wright at …; she'd like …"), giving their own first name too;
//! - hesitant: fillers, restarts and words said twice ("um, well, I, uh, I was hoping to, to
//!   see Alex"), the start of a number said again before the whole of it;
//! - learners of English (Spanish, French, Chinese and Nigerian speakers): "I am calling for to
//!   make appointment", "Tuesday next", "in the morning hours", "15h30", "the 9 of December";
//! - callers who ask something back before answering ("Sorry, can you repeat that?", "Is this
//!   a real person?", "Did you get that?") and answer in the same breath;
//! - very formal business callers: "I should like to arrange a meeting", "at your earliest
//!   convenience, say Wednesday at 15:00", 24-hour times, the executive's full name.
//!
//! Across the five, times are written the ways whisper writes them ("3.30pm", "15:00", "10am",
//! "noon-ish").
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
use super::{generate, Aside, Asked, Callback, Class, FactSheet, Goal, Lines};
use crate::logic::calendar::ordinal;
use crate::persona::Persona;

/// The seed of the sixth held-out phrasebook's facts and wording.
pub const HELDOUT6_SEED: u64 = 0x6B1D_A7E5;

/// Calls in the sixth held-out phrasebook run.
pub const HELDOUT6_CALLS: usize = 80;

/// `n` calls of the sixth held-out phrasebook: the generator's facts from `seed`, every line
/// said its way.
pub fn heldout6(persona: &Persona, now: DateTime<Utc>, seed: u64, n: usize) -> Vec<FactSheet> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x00C0_FFEE);
    generate(persona, now, seed, n)
        .into_iter()
        .map(|sheet| rephrase(persona, now, &mut rng, sheet))
        .collect()
}

/// How a caller talks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// An assistant ringing on behalf of their employer.
    Assistant,
    /// Fillers, restarts, words said twice.
    Hesitant,
    /// A learner of English.
    Learner,
    /// Asks something back, then answers.
    Asker,
    /// Very formal business English.
    Formal,
}

/// One phrasing for this caller's style, from five lists in [`Style`] order.
fn by<'a>(rng: &mut StdRng, style: Style, forms: [&[&'a str]; 5]) -> &'a str {
    let i = match style {
        Style::Assistant => 0,
        Style::Hesitant => 1,
        Style::Learner => 2,
        Style::Asker => 3,
        Style::Formal => 4,
    };
    pick(rng, forms[i])
}

/// First names of the assistants who ring for their employer.
const ASSISTANTS: &[&str] = &["Kim", "Marisol", "Devon", "Priscilla", "Tariq", "Jess"];

/// A phone number as this caller says it (as whisper writes it).
fn write_number(rng: &mut StdRng, style: Style, d: &str) -> String {
    if d.len() != 10 {
        let tail = &d[8..];
        return match (style, rng.random_range(0..2)) {
            (Style::Assistant, _) => format!("+44 20 7946 {tail}, that's the London office"),
            (Style::Hesitant, _) => format!("0044, uh, 0044 20 7946 {tail}"),
            (Style::Learner, 0) => format!("plus 44, 20, 79, 46, {tail}"),
            (Style::Learner, _) => format!("0044 207 946 {tail}"),
            (Style::Asker, _) => format!("+44 20 7946 {tail}. Did you get all of that?"),
            (Style::Formal, _) => format!("+44 (0)20 7946 {tail}"),
        };
    }
    let (a, b, c) = (&d[..3], &d[3..6], &d[6..]);
    let spaced = |s: &str| {
        s.chars()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    };
    match (style, rng.random_range(0..2)) {
        (Style::Assistant, 0) => format!("{a}-{b}-{c}"),
        (Style::Assistant, _) => format!("{a}.{b}.{c}, that's the direct line"),
        (Style::Hesitant, 0) => format!("{a}, uh, {a}, {b}, {c}"),
        (Style::Hesitant, _) => format!("{a}, um, {b}, and then, uh, {c}"),
        (Style::Learner, 0) => format!("{}, {}, {}", spaced(a), spaced(b), spaced(c)),
        (Style::Learner, _) => format!("{a} {b} {c}"),
        (Style::Asker, 0) => format!("{a} {b} {c}. Did you get that?"),
        (Style::Asker, _) => format!("{a}-{b}-{c}, you want me to say it again? {a}-{b}-{c}"),
        (Style::Formal, 0) => format!("({a}) {b}-{c}"),
        (Style::Formal, _) => format!("+1 {a} {b} {c}"),
    }
}

/// A clock time on the hour or half hour as this caller says it; `foreign` when it is the
/// caller's own zone (then the part of the day is always said).
fn write_time(rng: &mut StdRng, style: Style, t: NaiveTime, foreign: bool) -> String {
    let (h, m) = (t.hour(), t.minute());
    let h12 = if h > 12 { h - 12 } else { h };
    let ampm = if h < 12 { "am" } else { "pm" };
    let part = if h < 12 {
        "in the morning"
    } else if h >= 17 {
        "in the evening"
    } else {
        "in the afternoon"
    };
    if h == 12 && m == 0 {
        return by(
            rng,
            style,
            [
                &["12 noon", "noon"],
                &["around, um, 12, noon", "midday, uh, 12 o'clock"],
                &["12 at midday", "the midday, 12 o'clock"],
                &["noon-ish, well, noon", "12pm, noon"],
                &["12:00 noon", "midday"],
            ],
        )
        .to_string();
    }
    match (style, m, rng.random_range(0..3)) {
        (Style::Assistant, 0, 0) => format!("{h12}{ampm}"),
        (Style::Assistant, 0, 1) => format!("{h12} {ampm}"),
        (Style::Assistant, 0, _) => format!("{h12}:00 {ampm}"),
        (Style::Assistant, _, 0) => format!("{h12}.30{ampm}"),
        (Style::Assistant, _, _) => format!("{h12}:30{ampm}"),
        (Style::Hesitant, 0, 0) => format!("{h12}, uh, {h12} o'clock {part}"),
        (Style::Hesitant, 0, _) => format!("about {h12} {part}, I think, yes, {h12}"),
        (Style::Hesitant, _, 0) => format!("half past, um, half past {h12} {part}"),
        (Style::Hesitant, _, _) => format!("{h12}, uh, {h12}:30 {part}"),
        (Style::Learner, 0, 0) => format!("{h12} {part} hours"),
        (Style::Learner, 0, 1) => format!("{h}h"),
        (Style::Learner, 0, _) => format!("{h12} o'clock of the {}", &part[7..]),
        (Style::Learner, _, 0) => format!("{h}h30"),
        (Style::Learner, _, 1) => format!("{h12} and half {part}"),
        (Style::Learner, _, _) => format!("half past {h12} {part}"),
        (Style::Asker, 0, 0) => format!("{h12}{ampm}"),
        (Style::Asker, 0, 1) if !foreign => format!("{h12}-ish, well, {h12}{ampm} exactly"),
        (Style::Asker, 0, _) => format!("{h12} o'clock {part}"),
        (Style::Asker, _, 0) => format!("{h12}.30{ampm}"),
        (Style::Asker, _, _) => format!("{h12}.30 {part}"),
        (Style::Formal, 0, 0) => format!("{h:02}:00"),
        (Style::Formal, 0, 1) => format!("{h:02}00 hours"),
        (Style::Formal, 0, _) => format!("{h12} o'clock {part}"),
        (Style::Formal, _, 0) => format!("{h:02}:30"),
        (Style::Formal, _, _) => format!("{h:02}30 hours"),
    }
}

/// The time said wrong by half an hour, then right, this caller's way.
fn half_repair(rng: &mut StdRng, style: Style, t: NaiveTime, right: &str) -> String {
    let h = t.hour();
    let h12 = |h: u32| if h > 12 { h - 12 } else { h };
    let ampm = if h < 12 { "am" } else { "pm" };
    let wrong = if t.minute() == 0 {
        format!("{}.30{ampm}", h12(h))
    } else {
        format!("{}{ampm}", h12(h))
    };
    let oops = by(
        rng,
        style,
        [
            &["sorry, I'm reading the wrong line,", "no, apologies, it's"],
            &["oh, no, no, dear me, it's", "um, no, wait, I mean"],
            &["no, sorry, my English, is", "no no, I say wrong, is"],
            &["wait, did I say that? No,", "or, no, hang on,"],
            &["I beg your pardon, I misspoke:", "correction, if I may:"],
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
    let d = date.day();
    let monday = next_monday(today);
    let this_week = ahead >= 1 && date < monday;
    let next_week = date >= monday && date < monday + Duration::days(7);
    // "Next Tuesday" without doubt: next week's, and no Tuesday left this week.
    let plain_next = next_week
        && date.weekday().num_days_from_monday() <= today.weekday().num_days_from_monday();
    let mut forms: Vec<String> = Vec::new();
    match style {
        Style::Assistant => {
            forms.push(format!("{weekday} the {nth}"));
            forms.push(format!("{weekday}, {month} {nth}"));
            if this_week {
                forms.push(format!("this {weekday}"));
            }
            if plain_next {
                forms.push(format!("next {weekday}, the {nth}"));
            }
        }
        Style::Hesitant => {
            forms.push(format!("on, uh, {weekday}, the, the {nth}"));
            forms.push(format!(
                "{weekday}, I think that's the {nth}, yes, the {nth}"
            ));
            if ahead == 1 {
                forms.push("tomorrow, um, tomorrow".into());
            }
        }
        Style::Learner => {
            forms.push(format!("the {d} of {month}"));
            forms.push(format!("{weekday} {d} {month}"));
            if plain_next {
                forms.push(format!("{weekday} next"));
            }
            if ahead == 2 {
                forms.push("after tomorrow".into());
            }
        }
        Style::Asker => {
            forms.push(format!(
                "{weekday} the {nth}, that's a {weekday}, right? Yeah, the {nth}"
            ));
            forms.push(format!("what's the date, the {nth}? {weekday} the {nth}"));
            if this_week {
                forms.push(format!("this {weekday}, the {nth}"));
            }
        }
        Style::Formal => {
            forms.push(format!("{weekday}, {d} {month}"));
            forms.push(format!("{weekday} the {nth} of {month}"));
        }
    }
    forms.choose(rng).cloned().unwrap_or_default()
}

/// How a caller in `tz` says the time is theirs.
fn zone_said(rng: &mut StdRng, style: Style, tz: Tz) -> String {
    let (city, zone, abbr) = match tz {
        chrono_tz::Europe::London => ("London", "British time", "GMT"),
        chrono_tz::Europe::Dublin => ("Dublin", "Irish time", "GMT"),
        chrono_tz::America::Denver => ("Denver", "Mountain time", "MST"),
        chrono_tz::America::Chicago => ("Chicago", "Central time", "CST"),
        chrono_tz::America::Los_Angeles => ("Los Angeles", "Pacific time", "PST"),
        chrono_tz::Africa::Lagos => ("Lagos", "Lagos time", "WAT"),
        _ => ("here", "my time", "local"),
    };
    match (style, rng.random_range(0..2)) {
        (Style::Assistant, 0) => format!("{zone}, we're based in {city}"),
        (Style::Assistant, _) => format!("that's {city} time for us"),
        (Style::Hesitant, 0) => format!("my time, um, {city} time"),
        (Style::Hesitant, _) => format!("that's, uh, {zone}, where I am"),
        (Style::Learner, 0) => format!("hour of {city}"),
        (Style::Learner, _) => format!("in {city} hour, where I live"),
        (Style::Asker, 0) => format!("{zone}, you know I'm in {city}, right?"),
        (Style::Asker, _) => format!("{zone}, is that okay? {zone}, I mean"),
        (Style::Formal, 0) => format!("{abbr}, {city}"),
        (Style::Formal, _) => format!("{city} time, {abbr}"),
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
        (Style::Assistant, 0) => format!("{day} at {time}"),
        (Style::Assistant, _) => format!("{time} on {day}"),
        (Style::Hesitant, 0) => format!("{day}, at, uh, {time}"),
        (Style::Hesitant, _) => format!("{day}, and, um, {time}"),
        (Style::Learner, 0) => format!("{day} at {time}"),
        (Style::Learner, _) => format!("for {day}, at the {time}"),
        (Style::Asker, 0) => format!("{day}, at {time}"),
        (Style::Asker, _) => format!("{day} at {time}, does that work?"),
        (Style::Formal, 0) => format!("{day} at {time}"),
        (Style::Formal, _) => format!("{day}, at {time} precisely"),
    }
}

/// A clock time picked from offered ones: "the 15:00", "the 3pm one".
fn pick_time(style: Style, t: NaiveTime) -> String {
    let (h, m) = (t.hour(), t.minute());
    let h12 = if h > 12 { h - 12 } else { h };
    let ampm = if h < 12 { "am" } else { "pm" };
    match (style, m) {
        (Style::Formal, _) => format!("the {h:02}:{m:02}"),
        (Style::Learner, 0) => format!("the one of {h12}"),
        (Style::Learner, _) => format!("the one of {h12} and half"),
        (_, 0) if h == 12 => "the noon one".into(),
        (_, 0) => format!("the {h12}{ampm} one"),
        _ => format!("the {h12}.30{ampm} one"),
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
        Style::Assistant => format!("{word}, {}", letters.join("-")),
        Style::Hesitant => {
            // A restart after the first two letters.
            let head = letters
                .iter()
                .take(2)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ");
            format!("{head}, uh, let me start again, {}", letters.join(", "))
        }
        Style::Learner => format!("{}, {word}", letters.join(" ")),
        Style::Asker => format!(
            "you want me to spell it? Okay, {}, got it?",
            letters.join(". ")
        ),
        Style::Formal => format!("{word}, spelt {}", letters.join(", ")),
    }
}

fn rephrase(
    persona: &Persona,
    now: DateTime<Utc>,
    rng: &mut StdRng,
    mut s: FactSheet,
) -> FactSheet {
    let exec = persona.executive_first().to_string();
    let exec_full = persona.executive.clone();
    let name = s.name.clone();
    let (first, last) = name.split_once(' ').unwrap_or((name.as_str(), ""));
    let (first, last) = (first.to_string(), last.to_string());
    let company = s
        .company
        .clone()
        .unwrap_or_else(|| "Halvorsen Marine".into());
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
        Style::Assistant,
        Style::Hesitant,
        Style::Learner,
        Style::Asker,
        Style::Formal,
    ]
    .choose(rng)
    .unwrap_or(&Style::Formal);
    let (pro, obj, poss) = *[("she", "her", "her"), ("he", "him", "his")]
        .choose(rng)
        .unwrap_or(&("she", "her", "her"));
    let asst = pick(rng, ASSISTANTS).to_string();
    let fill = |t: &str| {
        t.replace("{exec}", &exec)
            .replace("{Exec}", &exec_full)
            .replace("{name}", &name)
            .replace("{first}", &first)
            .replace("{last}", &last)
            .replace("{company}", &company)
            .replace("{content}", &content)
            .replace("{Content}", &cap(&content))
            .replace("{p}", &purpose)
            .replace("{P}", &cap(&purpose))
            .replace("{pro}", pro)
            .replace("{Pro}", &cap(pro))
            .replace("{obj}", obj)
            .replace("{poss}", poss)
            .replace("{asst}", &asst)
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
    // A self-repair mid-sentence: the time half an hour off, or the whole start wrong.
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
                let time = half_repair(rng, style, local.time(), &right_time);
                let mut r = format!("{day}, at {time}");
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
                            &["sorry, that's the slot we just lost, I mean"],
                            &["oh, no, no, what am I saying, it's"],
                            &["no, sorry, I confuse, I want"],
                            &["wait, is that what I said? No, I meant"],
                            &["I do apologise, I meant to say"],
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

    let intro = fill(if known {
        by(
            rng,
            style,
            [
                &["This is {asst}, I'm calling on behalf of {first} {last}, {exec} knows {obj} well."],
                &["It's, um, it's {first}, {first} {last}, {exec} will, uh, {exec} will know me."],
                &["I am {first} {last}, old friend of {exec}."],
                &["Hi, it's {first} {last}, you know who I am, right? {exec} and I go back years."],
                &["{first} {last} speaking, an acquaintance of {Exec} of long standing."],
            ],
        )
    } else if spelled {
        by(
            rng,
            style,
            [
                &["This is {asst}, calling on behalf of {name} at {company}, {poss} last name is {spelled}."],
                &["My name is, uh, {name}, and the, the last name is {spelled}."],
                &["My name it is {name}, family name {spelled}."],
                &["I'm {name}, should I spell that? The last name is {spelled}."],
                &["My name is {name}, of {company}; the surname is {spelled}."],
            ],
        )
    } else {
        by(
            rng,
            style,
            [
                &[
                    "This is {asst} calling on behalf of {name} at {company}.",
                    "Hi, {asst} here, from {name}'s office at {company}.",
                ],
                &["It's, um, {first}, {first} {last}, I'm with, uh, {company}."],
                &[
                    "I am {name}, I work for {company}.",
                    "My name it is {name}, from the company {company}.",
                ],
                &["Oh, you need my name? It's {name}, with {company}."],
                &["{name} speaking, of {company}.", "My name is {name}; I am with {company}."],
            ],
        )
    })
    .replace("{spelled}", &spell(style, &last));

    let number_ahead = match &s.callback {
        Callback::CallerId => by(
            rng,
            style,
            [
                &["{Pro}'d like a call back on the number I'm calling from."],
                &["You can, um, you can ring me back on this phone, the one I'm on."],
                &["For call me back, is this number, the same."],
                &["Can you see the number I'm calling from? That one's fine for a callback."],
                &["The number from which I am calling will do for a return call."],
            ],
        )
        .to_string(),
        Callback::Spoken(_) => by(
            rng,
            style,
            [
                &["The best number to reach {obj} is {n}."],
                &["My number is, um, {n}."],
                &["My telephone is {n}."],
                &["You want a number? {n}."],
                &["I may be reached on {n}."],
            ],
        )
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
            Goal::Message if volunteered => by(
                rng,
                style,
                [
                    &[
                        "{name} asked me to let {exec} know that {content}.",
                        "I'm calling on behalf of {name}; {pro}'d like {exec} to know that {content}.",
                    ],
                    &["I, um, I wanted to, to let {exec} know that, uh, {content}."],
                    &[
                        "I call for to say to {exec} that {content}.",
                        "Please you say to {exec}: {content}.",
                    ],
                    &["Can you get a message to {exec}? It's that {content}."],
                    &["I should be grateful if you would inform {Exec} that {content}."],
                ],
            )
            .to_string(),
            Goal::Message => by(
                rng,
                style,
                [
                    &[
                        "I'm calling on behalf of {name}, {pro}'d like to leave {exec} a message.",
                        "I have a message for {exec} from my boss, {name}.",
                    ],
                    &[
                        "Um, well, I, uh, I was hoping to, to leave a message for {exec}.",
                        "Oh, hello, I, um, I'd like to, to leave word for {exec}, if I could.",
                    ],
                    &[
                        "I am calling for to leave one message to {exec}.",
                        "Is possible to leave message for {exec}?",
                    ],
                    &[
                        "Is {exec} there? No? Can I leave a message then?",
                        "Are you taking messages for {exec}? I have one.",
                    ],
                    &["I should like to leave a message for {Exec}, if I may."],
                ],
            )
            .to_string(),
            Goal::Book => {
                let mut o = by(
                    rng,
                    style,
                    [
                        &[
                            "I'm calling on behalf of {name}, {pro}'d like to set up a meeting with {exec}.",
                            "I'm trying to get {name} some time with {exec}.",
                        ],
                        &[
                            "Um, well, I, uh, I was hoping to, to see {exec}, sometime.",
                            "I'd like, um, I'd like to make a, an appointment with {exec}.",
                        ],
                        &[
                            "I am calling for to make appointment with {exec}.",
                            "I want to take a meeting with {exec}, please.",
                        ],
                        &[
                            "Does {exec} take meetings? I'd like one.",
                            "Can I get on {exec}'s calendar? I need a meeting.",
                        ],
                        &[
                            "I should like to arrange a meeting with {Exec}.",
                            "I wish to request an appointment with {Exec} at your earliest convenience.",
                        ],
                    ],
                )
                .to_string();
                if volunteered {
                    o.push_str(by(
                        rng,
                        style,
                        [
                            &[" It's regarding {p}."],
                            &[" It's, uh, about {p}."],
                            &[" The subject is {p}."],
                            &[" What about? {P}."],
                            &[" The matter concerns {p}."],
                        ],
                    ));
                    if corrected_time && first_goal {
                        o.push_str(&format!(" {}", sentence(&repaired)));
                    } else if !corrected_time && rng.random_bool(0.5) {
                        o.push_str(&format!(" {}", sentence(&w)));
                    }
                }
                o
            }
            Goal::FreeThenBook => by(
                rng,
                style,
                [
                    &["Is {exec} available {w}? {name} would like to meet."],
                    &["I, um, is {exec}, is {exec} free {w}, by any chance?"],
                    &["{exec} is free {w}? I want to meet."],
                    &["Quick question, is {exec} free {w}?"],
                    &["Might {Exec} be available {w}? I should like to meet."],
                ],
            )
            .replace("{w}", &w)
            .replace("{W}", &cap(&w)),
            Goal::Move => {
                let mut o = by(
                    rng,
                    style,
                    [
                        &["{name} has a meeting with {exec} and {pro} needs to move it, I'm afraid."],
                        &["I have a, um, a meeting with {exec}, and I, I need to change the, the time."],
                        &["I have meeting with {exec} and I need to change for other day."],
                        &["Can I move a meeting? I've got one with {exec}."],
                        &["I must regretfully ask to reschedule my appointment with {Exec}."],
                    ],
                )
                .to_string();
                if volunteered && first_goal && corrected_time {
                    o.push_str(&format!(" {}", sentence(&repaired)));
                } else if volunteered && !corrected_time {
                    o.push_str(
                        &by(
                            rng,
                            style,
                            [
                                &[" Could we do {w} instead?"],
                                &[" Maybe, um, {w}?"],
                                &[" I prefer {w}."],
                                &[" How about {w}?"],
                                &[" Would {w} be convenient?"],
                            ],
                        )
                        .replace("{w}", &w),
                    );
                }
                o
            }
            Goal::Cancel => by(
                rng,
                style,
                [
                    &["I need to cancel {name}'s meeting with {exec}, {pro} can't make it."],
                    &["I, um, I'm afraid I can't, I can't come to my meeting with {exec}."],
                    &["I cannot go to the meeting with {exec}, please you cancel."],
                    &["Can I cancel a meeting? The one with {exec}."],
                    &["I regret that I must cancel my appointment with {Exec}."],
                ],
            )
            .to_string(),
            Goal::Faq(id) => faq_question(rng, style, id),
            Goal::Person => by(
                rng,
                style,
                [
                    &["I need to speak with someone on {exec}'s team on {name}'s behalf."],
                    &["Could I, um, is there somebody, a person, I could speak to?"],
                    &["Please, I want speak with one person, not machine."],
                    &["Is this a real person? No? Can you put me through to one?"],
                    &["I should like to speak with a member of staff, please."],
                ],
            )
            .to_string(),
            Goal::Urgent => by(
                rng,
                style,
                [
                    &["I'm calling on behalf of {name}, it's urgent: {content}. {Pro} has to reach {exec} tonight."],
                    &["Oh, I'm sorry, it's, um, it's urgent, {content}, and I, I need {exec} tonight."],
                    &["Is emergency. {Content}. I must speak with {exec} tonight."],
                    &["Can you reach {exec} tonight? It's urgent: {content}."],
                    &["I must speak with {Exec} this evening as a matter of urgency: {content}."],
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
        if matches!(style, Style::Assistant | Style::Formal) || rng.random_bool(0.5) {
            format!("{intro} {request}")
        } else {
            format!("{request} {intro}")
        }
    } else if style == Style::Assistant && !matches!(first_goal, Goal::Faq(_)) {
        // An assistant says whose call it is before anything else.
        fill(&format!(
            "Hi, this is {{asst}}, {{name}}'s assistant. {request}"
        ))
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
            &["Hi there, good evening.", "Oh, hi, sorry to call so late."],
            &["Hello? Oh, hello,", "Oh, um, hello. Yes,"],
            &["Hello, good night.", "Allo, hello, good evening."],
            &[
                "Hello? Am I talking to a machine? Okay, fine,",
                "Hi, is this Alex's office? Great.",
            ],
            &[
                "Good evening to you.",
                "Good evening. I trust I have the right number.",
            ],
        ],
    );
    if !greeting.is_empty() && rng.random_bool(0.5) {
        let greeting = greeting.replace("Alex", &exec);
        opening = if greeting.ends_with(',') {
            format!(
                "{greeting} {}",
                lower_first(&opening, &[&exec, &first, &asst])
            )
        } else {
            format!("{greeting} {opening}")
        };
    }

    let next_goals = goals
        .iter()
        .skip(1)
        .map(|g| {
            let lead = by(
                rng,
                style,
                [
                    &["While I have you,", "One more thing for {name},"],
                    &["Oh, and, um, one other thing,", "Oh, I nearly forgot,"],
                    &["Also, one more thing,", "And other thing,"],
                    &["Can I ask something else?", "Oh, wait, also,"],
                    &[
                        "If I may, one further matter:",
                        "There is one further item:",
                    ],
                ],
            );
            format!(
                "{} {}",
                fill(lead),
                lower_first(&opener(g, rng, false), &[&exec, &name, &first])
            )
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
                        &["I just need to leave {exec} a message from {name}."],
                        &["I, um, I only want to leave a message for {exec}."],
                        &["Only message. For {exec}."],
                        &["Did you understand? I want to leave a message for {exec}."],
                        &["I merely wish to leave a message for {Exec}."],
                    ],
                ),
                Goal::Book | Goal::FreeThenBook => by(
                    rng,
                    style,
                    [
                        &["I need to book a meeting with {exec} for {name}."],
                        &["I, um, I want to book a meeting with {exec}."],
                        &["I want appointment with {exec}."],
                        &["Did you get that? I want to book a meeting with {exec}."],
                        &["I wish to book a meeting with {Exec}."],
                    ],
                ),
                Goal::Move => by(
                    rng,
                    style,
                    [
                        &["I need to reschedule {name}'s meeting with {exec}."],
                        &["I, um, I want to move my meeting with {exec}."],
                        &["I want change my meeting with {exec}."],
                        &["Did you get that? I need to move my meeting with {exec}."],
                        &["I wish to reschedule my meeting with {Exec}."],
                    ],
                ),
                Goal::Cancel => by(
                    rng,
                    style,
                    [
                        &["I need to cancel {name}'s meeting with {exec}."],
                        &["I, um, I want to cancel my meeting with {exec}."],
                        &["I want cancel my meeting with {exec}."],
                        &["Did you get that? I need to cancel my meeting with {exec}."],
                        &["I wish to cancel my meeting with {Exec}."],
                    ],
                ),
                Goal::Faq(id) => return faq_question(rng, style, id),
                Goal::Person => by(
                    rng,
                    style,
                    [
                        &["I need to speak to a person, please."],
                        &["I, um, I'd like a person, please."],
                        &["I want speak with a person."],
                        &["Can I talk to a person? A real one?"],
                        &["I wish to speak with a person."],
                    ],
                ),
                Goal::Urgent => by(
                    rng,
                    style,
                    [
                        &["It's an emergency, {name} needs {exec} tonight."],
                        &["It's, um, an emergency, I need {exec} tonight."],
                        &["Is emergency, I need {exec} tonight."],
                        &["Didn't you hear? It's an emergency, I need {exec} tonight."],
                        &["This is an emergency; I need {Exec} tonight."],
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
                &["The name is {name}, I'm just {poss} assistant."],
                &["It's, uh, {first}, {first} {last}."],
                &["My name it is {name}."],
                &["My name? {name}."],
                &["The name is {name}."],
            ],
        )) + &format!(" {}.", cap(&spell(style, &last)))
    } else {
        fill(by(
            rng,
            style,
            [
                &[
                    "It's for {name}. I'm {asst}, {poss} assistant.",
                    "The name is {name}, I'm just {poss} assistant.",
                ],
                &[
                    "It's, um, {first}, {first} {last}.",
                    "Oh, yes, sorry, {name}.",
                ],
                &["My name it is {name}.", "I am {first} {last}."],
                &[
                    "My name? {name}.",
                    "Sorry, what was that? Oh, my name, {name}.",
                ],
                &["{name}.", "The name is {last}, {first} {last}."],
            ],
        ))
    };
    let number_line = match &s.callback {
        Callback::CallerId => by(
            rng,
            style,
            [
                &["The number I'm calling from is fine."],
                &["Oh, um, this one, the, the one I'm on."],
                &["This number, the same I call from."],
                &["Don't you have it on your screen? The one I'm calling from."],
                &["The number from which I am calling, please."],
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
                    &["{w}, sorry, that's my own line, {poss} is {n}."],
                    &["{w}, oh, no, dear, that's wrong, it's {n}."],
                    &["{w}, no, sorry, is {n}."],
                    &["{w}. Wait, is that right? No. {n}."],
                    &["{w}; I beg your pardon, {n}."],
                ],
            )
            .replace("{poss}", poss)
            .replace("{w}", &write_number(rng, style, &w))
            .replace("{n}", &number_said)
        }
        Callback::Spoken(_) => by(
            rng,
            style,
            [
                &["{Pro} can be reached at {n}."],
                &["It's, um, {n}."],
                &["My number is {n}."],
                &["My number? {n}."],
                &["My number is {n}."],
            ],
        )
        .replace("{Pro}", &cap(pro))
        .replace("{n}", &number_said),
    };
    let number_fix = match &s.callback {
        Callback::CallerId => by(
            rng,
            style,
            [
                &["No, just the number I'm calling from."],
                &["Oh, no, the, the one I'm calling from."],
                &["No, the number I call from."],
                &["No, the number I'm calling from, didn't I say?"],
                &["No, the number from which I am calling."],
            ],
        )
        .to_string(),
        Callback::Spoken(_) => by(
            rng,
            style,
            [
                &["No, it's {n}."],
                &["No, no, it's, um, {n}."],
                &["No, is {n}."],
                &["No, did you get it wrong? It's {n}."],
                &["No; it is {n}."],
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
                        &["{Pro}'s free {w}.", "{W} works for {obj}."],
                        &["Oh, um, let me see, {w}."],
                        &["I prefer {w}.", "Is good for me {w}."],
                        &["When? {W}."],
                        &[
                            "At your earliest convenience, say {w}.",
                            "{W}, if convenient.",
                        ],
                    ],
                )
                .replace("{Pro}", &cap(pro))
                .replace("{obj}", obj)
                .replace("{w}", right)
                .replace("{W}", &cap(right))
            };
            let again = by(
                rng,
                style,
                [
                    &["No, {w}."],
                    &["No, no, I, I said {w}."],
                    &["No, I say {w}."],
                    &["Didn't I say {w}?"],
                    &["No; as I said, {w}."],
                ],
            )
            .replace("{w}", right)
            .replace("{W}", &cap(right));
            let change = changed_mind.then(|| {
                by(
                    rng,
                    style,
                    [
                        &["Oh, sorry, {pro} just told me that won't work. Can we do {w}?"],
                        &["Oh, dear, no, I, I have the doctor then. Could it be {w}?"],
                        &["Ah, no, sorry, I cannot then. Is possible {w}?"],
                        &["Wait, can we change it? {W} instead."],
                        &["On reflection, that will not suit. Might we say {w} instead?"],
                    ],
                )
                .replace("{pro}", pro)
                .replace("{w}", right)
                .replace("{W}", &cap(right))
            });
            let t = pick_time(style, l.time());
            let pick_line = by(
                rng,
                style,
                [
                    &["{T}, please, that's perfect for {obj}."],
                    &["Oh, um, {t}, please."],
                    &["I take {t}."],
                    &["Can I have {t}?"],
                    &["{T} would suit admirably."],
                ],
            )
            .replace("{obj}", obj)
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
                    &["{Pro}'s down for {w}."],
                    &["It's, um, I think it's {w}."],
                    &["Is {w}."],
                    &["You don't see it? {W}."],
                    &["It is scheduled for {w}."],
                ],
            )
            .replace("{Pro}", &cap(pro))
            .replace("{w}", &w)
            .replace("{W}", &cap(&w))
        })
        .unwrap_or_default();
    let message_line = fill(by(
        rng,
        style,
        [
            &[
                "Just that {content}. That's from {name}.",
                "{Pro} wanted {exec} to know that {content}.",
            ],
            &["Um, well, just, just that {content}."],
            &["Please say {obj} that {content}."],
            &["You ready? Okay: {content}."],
            &["Kindly inform {Exec} that {content}."],
        ],
    ));
    let purpose_line = fill(by(
        rng,
        style,
        [
            &["It's about {p}."],
            &["It's, uh, it's about {p}."],
            &["Is for {p}."],
            &["What's it about? {P}."],
            &["The matter concerns {p}."],
        ],
    ));

    // Once, for some callers, something asked back where a question was put; the answer comes
    // when the question is put again.
    let aside = if !rng.random_bool(0.4) {
        None
    } else {
        match style {
            Style::Assistant if !known => Some(Aside {
                at: Asked::Name,
                say: "Sorry, do you need my name or my boss's?".into(),
            }),
            Style::Hesitant if !number_said.is_empty() => Some(Aside {
                at: Asked::Number,
                say: "Oh, um, just a moment, I have it written down, where did I put it...".into(),
            }),
            Style::Learner => Some(Aside {
                at: Asked::Name,
                say: "Sorry, I don't understand. Can you say again, slowly?".into(),
            }),
            Style::Asker => Some(Aside {
                at: if matches!(first_goal, Goal::Book) {
                    Asked::Purpose
                } else {
                    Asked::Name
                },
                say: pick(
                    rng,
                    &[
                        "Sorry, can you repeat that?",
                        "Wait, is this a real person?",
                        "What did you say your name was?",
                    ],
                )
                .into(),
            }),
            Style::Formal if matches!(first_goal, Goal::Book | Goal::Move) => Some(Aside {
                at: Asked::Proposal,
                say: "Before I confirm, will the meeting be in person or by video?".into(),
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
                &["No, the name should be {name}, it's {poss} meeting."],
                &["Oh, no, no, it's {name}."],
                &["No, my name is {name}."],
                &["No, didn't you hear? {name}."],
                &["I'm afraid not; the name is {name}."],
            ],
        )),
        spelling: format!("{}.", cap(&spell(style, &last))),
        spelling_full: format!(
            "{}, and {}.",
            cap(&spell(style, &first)),
            spell(style, &last)
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
        yes: by(
            rng,
            style,
            [
                &["Yes, that's right.", "That's correct, thanks."],
                &["Yes, yes, that's, that's right.", "Um, yes."],
                &["Yes, is correct.", "Yes, is good."],
                &["Yes. Did you get all of it?", "Yeah, that's it."],
                &["That is correct.", "Quite right."],
            ],
        )
        .into(),
        yes_again: by(
            rng,
            style,
            [
                &["Yes, that's all correct, thank you."],
                &["Yes, I said yes, that's right."],
                &["Yes, yes, is all correct."],
                &["Yes! That's right."],
                &["Yes, that is entirely correct."],
            ],
        )
        .into(),
        no: by(
            rng,
            style,
            [
                &["No, that's not right."],
                &["Oh, no, no, that's not, that's not right."],
                &["No, is not correct."],
                &["No, did you get it wrong?"],
                &["No, I'm afraid that is incorrect."],
            ],
        )
        .into(),
        decline: by(
            rng,
            style,
            [
                &["No, thanks, that's fine."],
                &["Oh, no, no, that's, that's all right."],
                &["No, thank you, is fine."],
                &["No, why would I need that?"],
                &["That will not be necessary, thank you."],
            ],
        )
        .into(),
        bye: by(
            rng,
            style,
            [
                &["No, that's everything, thanks so much. Bye."],
                &["No, I, um, I think that's all. Thank you, dear. Goodbye."],
                &["No, is all. Thank you very much, bye bye."],
                &["No, that's it. Was this recorded? Anyway, bye."],
                &["No, that concludes my business. Good evening."],
            ],
        )
        .into(),
        give_up: by(
            rng,
            style,
            [
                &["Okay, that'll have to do."],
                &["Oh, well, I, I suppose that's all right."],
                &["Okay, okay, is fine."],
                &["Fine, whatever works."],
                &["Very well."],
            ],
        )
        .into(),
        want_message: by(
            rng,
            style,
            [
                &["A message is fine, I'll let {obj} know."],
                &["Oh, um, a message is, is fine."],
                &["Okay, I leave message."],
                &["A message? Sure, a message."],
                &["A message will suffice."],
            ],
        )
        .replace("{obj}", obj),
        want_person: by(
            rng,
            style,
            [
                &["No, {pro} needs a real person, it's urgent."],
                &["Oh, no, I, I really need a person, it's urgent."],
                &["No, I need person, is urgent."],
                &["No, can't I talk to a human? It's urgent."],
                &["No; I must speak with a person, it is urgent."],
            ],
        )
        .replace("{pro}", pro),
        aside,
    };
    tidy(&mut s.lines);
    settle(&mut s.lines);
    s.id = s.id.replacen('c', "w", 1);
    s
}

/// Every line closed once: a question mark inside a template that closes with its own stop
/// ("does that work??", "got it?.") keeps only the question mark.
pub(super) fn settle(l: &mut Lines) {
    let fix = |t: &mut String| {
        while t.contains("??") || t.contains("?.") {
            *t = t.replace("??", "?").replace("?.", "?");
        }
    };
    for t in l.next_goals.iter_mut().chain(l.restate.iter_mut()) {
        fix(t);
    }
    for t in [
        &mut l.opening,
        &mut l.name,
        &mut l.name_fix,
        &mut l.spelling,
        &mut l.spelling_full,
        &mut l.booked_when,
        &mut l.number,
        &mut l.number_fix,
        &mut l.message,
        &mut l.purpose,
        &mut l.when,
        &mut l.when_again,
        &mut l.pick,
    ] {
        fix(t);
    }
    if let Some(t) = l.change_mind.as_mut() {
        fix(t);
    }
}

/// An FAQ asked in this phrasebook's own words.
fn faq_question(rng: &mut StdRng, style: Style, id: &str) -> String {
    let forms: [&[&str]; 5] = match id {
        "hours" => [
            &["My boss wants to drop by, what are your opening hours?"],
            &["I, um, what time do you, do you open, in the morning?"],
            &["Which hours the office is open?"],
            &["Is this a real person? Okay. What time do you open?"],
            &["Might I enquire as to your office hours?"],
        ],
        "address" => [
            &["I need to send a courier, what's the office address?"],
            &["Where, um, where is the office, the address?"],
            &["Where is the office, which street?"],
            &["Can you tell me where you're located? What's the street address?"],
            &["Would you be so kind as to give me your postal address?"],
        ],
        "parking" => [
            &["My boss is driving in, is there parking at the building?"],
            &["Is there, um, somewhere to, to put the car?"],
            &["Is possible to park the car there?"],
            &["Do you have parking? Is it free?"],
            &["Is there provision for parking at your premises?"],
        ],
        "documents" => [
            &["I have signed documents to return for my boss, where do they go?"],
            &["I, um, I signed the papers, where do I, where should I send them?"],
            &["The documents signed, where I send them?"],
            &["Where do signed documents go? Do you know?"],
            &["To whom should I address the executed documents?"],
        ],
        "press" => [
            &["I'm calling for a reporter at the Globe, who handles press?"],
            &["I, um, I write for the, the newsletter, who do I talk to, for press?"],
            &["I am journalist, who is the contact for the press?"],
            &["Who handles press? Is there a press office?"],
            &["I represent a publication; whom should I contact regarding press matters?"],
        ],
        "jobs" => [
            &["My boss's son is looking for work, is the company hiring?"],
            &["My, um, my granddaughter wanted to know, are you, are you hiring?"],
            &["You have work? I am looking for job."],
            &["Are you hiring right now? Where do I apply?"],
            &["Are there any positions currently open at the company?"],
        ],
        _ => [
            &["I have a question for my boss."],
            &["I, um, I have a question."],
            &["I have question."],
            &["Can I ask a question?"],
            &["I have an enquiry."],
        ],
    };
    by(rng, style, forms).to_string()
}
