//! The fourth held-out phrasebook: the generator's facts said by callers who follow none of the
//! earlier scripts, written from the facts before its author read the dialog's code.
//!
//! The facts (who calls, what they want, the wished instant, the expected result) come from
//! [`super::generate`] with [`HELDOUT4_SEED`]; the words and some habits are new. Each caller
//! talks one of three ways ([`Style`]):
//! - plain-spoken American, terse or rambling: "yeah so basically…", "I'm calling because…",
//!   a long preamble before the point, thinking aloud ("uh, let me see, um"), "nah";
//! - a learner of English, simple grammar: "I want make appointment with Alex", "Please, Alex
//!   must call me back", "Is about the budget", 24-hour clock times ("14:30"), "3 December",
//!   numbers in pairs or with "double five";
//! - an older caller, very formal: "I wish to arrange a meeting", "Kindly note the following",
//!   "a fortnight from today", "fourteen hundred", "half past two" in words.
//!
//! Habits across the three: several facts in one breath in an unusual order (the number before
//! the name, the time before the request); "who am I speaking with?" or "is this a robot?"
//! before the request, in the same breath or alone (the request then comes when the agent
//! answers); days as "Thursday of this week", "next Tues" (only where that is next week's
//! without doubt), "in two weeks", "in three days", "this day next week", "not this coming
//! Monday but the one after"; times as "noon sharp", "2 on the dot", "around 10 in the
//! morning", "fourteen hundred", "two-thirty", "14:30"; self-repairs by a quarter of an hour
//! ("at a quarter to 2, uh, no, sorry, 2 on the dot") or a day ("Thursday, no, hang on,
//! Friday"); messages dictated as "tell him/her/them that…", "just so Alex knows…"; FAQ
//! questions in new words; declines and changes of mind in new words.
//!
//! The reactive [`super::Caller`] plays these lines exactly as it plays the generator's, so the
//! same checks apply.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

use super::phrasebook::{cap, pick};
use super::phrasebook2::{lower_first, wrong_start};
use super::{generate, Aside, Asked, Callback, Class, FactSheet, Goal, Lines};
use crate::logic::calendar::ordinal;
use crate::persona::Persona;

/// The seed of the fourth held-out phrasebook's facts and wording.
pub const HELDOUT4_SEED: u64 = 0x4D1A_106E;

/// Calls in the fourth held-out phrasebook run.
pub const HELDOUT4_CALLS: usize = 80;

/// `n` calls of the fourth held-out phrasebook: the generator's facts from `seed`, every line
/// said its way.
pub fn heldout4(persona: &Persona, now: DateTime<Utc>, seed: u64, n: usize) -> Vec<FactSheet> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x7A1C_0FF4);
    generate(persona, now, seed, n)
        .into_iter()
        .map(|sheet| rephrase(persona, now, &mut rng, sheet))
        .collect()
}

/// How a caller talks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// Plain-spoken American, terse or rambling.
    Plain,
    /// A learner of English: simple grammar, 24-hour clock.
    Learner,
    /// An older caller, very formal.
    Formal,
}

/// One of three phrasings, by style.
fn by<'a>(
    rng: &mut StdRng,
    style: Style,
    plain: &[&'a str],
    learner: &[&'a str],
    formal: &[&'a str],
) -> &'a str {
    match style {
        Style::Plain => pick(rng, plain),
        Style::Learner => pick(rng, learner),
        Style::Formal => pick(rng, formal),
    }
}

const WORDS: [&str; 24] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "twenty-one",
    "twenty-two",
    "twenty-three",
];

/// Digits as words, a repeated digit said "double": "five double five".
fn doubled(group: &str) -> String {
    let ds: Vec<usize> = group
        .chars()
        .filter_map(|c| c.to_digit(10).map(|d| d as usize))
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < ds.len() {
        let w = if ds[i] == 0 { "oh" } else { WORDS[ds[i]] };
        if i + 1 < ds.len() && ds[i + 1] == ds[i] && (i + 2 >= ds.len() || ds[i + 2] != ds[i]) {
            out.push(format!("double {w}"));
            i += 2;
        } else {
            out.push(w.to_string());
            i += 1;
        }
    }
    out.join(" ")
}

/// A phone number as this caller says it (as whisper writes it).
fn write_number(rng: &mut StdRng, style: Style, d: &str) -> String {
    if d.len() != 10 {
        let tail = &d[8..];
        return match style {
            Style::Plain => format!("country code 44, then 20 7946 {tail}"),
            Style::Learner => format!("44, 20, 7946, {tail}"),
            Style::Formal => format!("the international code 44, then 20 7946 {tail}"),
        };
    }
    let (a, b, c) = (&d[..3], &d[3..6], &d[6..]);
    match (style, rng.random_range(0..2)) {
        (Style::Plain, 0) => format!("{a}... {b}... {c}"),
        (Style::Plain, _) => format!("{a} {b}, uh, {c}"),
        (Style::Learner, 0) => format!("{a}, {b}, {}, {}", &c[..2], &c[2..]),
        (Style::Learner, _) => format!("{}, {}, {}", doubled(a), doubled(b), doubled(c)),
        (Style::Formal, 0) => format!("{a}, that is the area code, and then {b}-{c}"),
        (Style::Formal, _) => format!("{a} {b}-{c}"),
    }
}

/// "in the afternoon" or "in the morning" (learners drop the article).
fn part(h: u32, style: Style) -> &'static str {
    match (h < 12, style) {
        (true, Style::Learner) => "in morning",
        (false, Style::Learner) => "in afternoon",
        (true, _) => "in the morning",
        (false, _) => "in the afternoon",
    }
}

/// A clock time on the half hour as this caller says it.
fn write_time(rng: &mut StdRng, style: Style, t: NaiveTime) -> String {
    let (h, m) = (t.hour(), t.minute());
    let h12 = if h > 12 { h - 12 } else { h };
    let w12 = WORDS[h12 as usize];
    let p = part(h, style);
    // Inside business hours the part of the day goes without saying.
    let business = (9..=16).contains(&h);
    if h == 12 && m == 0 {
        return by(
            rng,
            style,
            &["noon sharp", "noon, on the dot"],
            &["12:00", "twelve o'clock in the day"],
            &["twelve noon", "noon precisely"],
        )
        .to_string();
    }
    let ampm = if h < 12 { "a.m." } else { "p.m." };
    match (style, m, rng.random_range(0..3)) {
        (Style::Plain, 0, 0) if business => format!("{h12} on the dot"),
        (Style::Plain, 0, 1) if business => format!("{h12} sharp"),
        (Style::Plain, 0, _) => format!("around {h12} {p}"),
        (Style::Plain, _, 0) => format!("{w12}-thirty {p}"),
        (Style::Plain, _, 1) if business => format!("{w12}-thirty"),
        (Style::Plain, _, _) => format!("{h12}:30 {ampm}"),
        (Style::Learner, _, 0) => format!("{h}:{m:02}"),
        (Style::Learner, _, 1) => format!("{h}.{m:02}"),
        (Style::Learner, 0, _) => format!("{h12} o'clock {p}"),
        (Style::Learner, _, _) => format!("{h12} and half {p}"),
        (Style::Formal, 0, 0) if h >= 13 => format!("{} hundred hours", WORDS[h as usize]),
        (Style::Formal, _, 0) if h >= 13 => format!("{} thirty", WORDS[h as usize]),
        (Style::Formal, 0, _) => format!("{w12} o'clock {p}"),
        (Style::Formal, _, _) => format!("half past {w12} {p}"),
    }
}

/// A time a quarter of an hour before `t`, as said by mistake: "a quarter to 2", "2:15".
fn quarter_before(rng: &mut StdRng, t: NaiveTime) -> String {
    let q = t - Duration::minutes(15);
    let (h, m) = (q.hour(), q.minute());
    let h12 = |h: u32| if h > 12 { h - 12 } else { h };
    let next = h12(h + 1);
    match (m, rng.random_range(0..2)) {
        (45, 0) => format!("a quarter to {next}"),
        (45, _) => format!("{}:45", h12(h)),
        (_, 0) => format!("quarter past {}", h12(h)),
        _ => format!("{}:15", h12(h)),
    }
}

/// `s` capitalised and closed with a full stop (unless it ends in one already: "p.m.").
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

/// The next `weekday` strictly after `today`.
fn coming(today: NaiveDate, weekday: Weekday) -> NaiveDate {
    let ahead = (7 + weekday.num_days_from_monday() as i64
        - today.weekday().num_days_from_monday() as i64)
        % 7;
    today + Duration::days(if ahead == 0 { 7 } else { ahead })
}

fn short_weekday(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "Mon",
        Weekday::Tue => "Tues",
        Weekday::Wed => "Wed",
        Weekday::Thu => "Thurs",
        Weekday::Fri => "Fri",
        Weekday::Sat => "Sat",
        Weekday::Sun => "Sun",
    }
}

/// A day named from `today` the way this caller names it, precise on its own.
fn write_day(rng: &mut StdRng, style: Style, date: NaiveDate, today: NaiveDate) -> String {
    let ahead = (date - today).num_days();
    let weekday = date.format("%A").to_string();
    let month = date.format("%B").to_string();
    let nth = ordinal(date.day());
    let day = date.day();
    let monday = next_monday(today);
    let mut forms: Vec<String> = match style {
        Style::Plain => vec![format!("{month} {day}, that's a {weekday}")],
        Style::Learner => vec![format!("{day} {month}"), format!("{weekday} {day} {month}")],
        Style::Formal => vec![format!("{weekday} {nth} {month}")],
    };
    if ahead >= 1 && date < monday {
        forms.push(match style {
            Style::Plain => format!("{weekday} of this week"),
            Style::Learner => format!("this week {weekday}"),
            Style::Formal => format!("{weekday} of this week"),
        });
    }
    // "Next Tues": next week's without doubt only when this week's has passed.
    if date >= monday
        && date < monday + Duration::days(7)
        && date.weekday().num_days_from_monday() <= today.weekday().num_days_from_monday()
        && style == Style::Plain
    {
        forms.push(format!("next {}", short_weekday(date.weekday())));
    }
    if date == coming(today, date.weekday()) + Duration::days(7) && style != Style::Learner {
        forms.push(format!("not this coming {weekday} but the one after"));
    }
    match (ahead, style) {
        (3, _) => forms.push("in three days".into()),
        (7, Style::Formal) => forms.push("this day next week".into()),
        (14, Style::Formal) => forms.push("a fortnight from today".into()),
        (14, _) => forms.push("in two weeks".into()),
        _ => {}
    }
    forms.choose(rng).cloned().unwrap_or_default()
}

/// How a caller in `tz` says the time is theirs.
fn zone_said(rng: &mut StdRng, style: Style, tz: Tz) -> String {
    let (city, zone) = match tz {
        chrono_tz::Europe::London => ("London", "English time"),
        chrono_tz::Europe::Dublin => ("Dublin", "the time here in Ireland"),
        chrono_tz::America::Denver => ("Denver", "the mountain time zone"),
        chrono_tz::America::Chicago => ("Chicago", "the central time zone"),
        chrono_tz::America::Los_Angeles => ("Los Angeles", "the Pacific time zone"),
        chrono_tz::Africa::Lagos => ("Lagos", "Nigerian time"),
        _ => ("here", "my time"),
    };
    match (style, rng.random_range(0..2)) {
        (Style::Plain, 0) => format!("and that's {city} time, not yours"),
        (Style::Plain, _) => format!("my time, since I'm in {zone}"),
        (Style::Learner, 0) => format!("time of {city}, where I am"),
        (Style::Learner, _) => format!("I am in {city}, so {zone}"),
        (Style::Formal, 0) => format!("by {zone}, as I am in {city}"),
        (Style::Formal, _) => format!("{city} time, where I am presently"),
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
    let time = write_time(rng, style, local.time());
    let said = match (style, rng.random_range(0..2)) {
        (Style::Plain, 0) => format!("{day}, uh, {time}"),
        (Style::Plain, _) => format!("{day}, let's see, {time}"),
        (Style::Learner, 0) => format!("{day}, at {time}"),
        (Style::Learner, _) => format!("{time}, {day}"),
        (Style::Formal, 0) => format!("{day}, at {time}"),
        (Style::Formal, _) => format!("at {time} on {day}"),
    };
    match zone {
        None => said,
        Some(tz) => format!("{said}, {}", zone_said(rng, style, tz)),
    }
}

/// A clock time picked from offered ones: "the 2:30", "the two o'clock", "the 14:00".
fn pick_time(style: Style, t: NaiveTime) -> String {
    let (h, m) = (t.hour(), t.minute());
    let h12 = if h > 12 { h - 12 } else { h };
    match (style, m) {
        (Style::Learner, _) => format!("the {h}:{m:02}"),
        (_, 0) if h == 12 => "the noon one".into(),
        (Style::Formal, 0) => format!("the {} o'clock", WORDS[h12 as usize]),
        (_, 0) => format!("the {h12} o'clock slot"),
        _ => format!("the {h12}:{m:02} slot"),
    }
}

/// A last name spelled on request, this caller's way.
fn spell(style: Style, word: &str) -> String {
    let letters: Vec<String> = word
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .map(|c| c.to_ascii_uppercase().to_string())
        .collect();
    match style {
        Style::Plain => format!("{}, {word}", letters.join("-")),
        Style::Learner => format!("{}. {word}", letters.join(". ")),
        Style::Formal => {
            const FOR: [&str; 26] = [
                "Alfred",
                "Benjamin",
                "Charles",
                "Daniel",
                "Edith",
                "Frederick",
                "George",
                "Henry",
                "Isaac",
                "Jack",
                "King",
                "Lucy",
                "Mary",
                "Nellie",
                "Olive",
                "Peter",
                "Queenie",
                "Robert",
                "Samuel",
                "Tommy",
                "Uncle",
                "Victor",
                "William",
                "X-ray",
                "Yellow",
                "Zebra",
            ];
            let mut out = letters.clone();
            if let Some(first) = letters.first().and_then(|l| l.bytes().next()) {
                out[0] = format!("{} for {}", letters[0], FOR[(first - b'A') as usize]);
            }
            format!("{word}: {}", out.join(", "))
        }
    }
}

/// A caller's pronoun for the executive, whom they have never met: (object, subject).
const PRONOUNS: &[(&str, &str)] = &[("him", "he"), ("her", "she"), ("them", "they")];

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
    let company = s
        .company
        .clone()
        .unwrap_or_else(|| "Harlow and Finch".into());
    let known = s.classes.contains(&Class::KnownContact) || s.classes.contains(&Class::Vip);
    let spelled = s.classes.contains(&Class::SpelledName);
    let volunteered = s.classes.contains(&Class::Volunteered);
    let corrected_time = s.classes.contains(&Class::CorrectedTime);
    let changed_mind = s.classes.contains(&Class::ChangedMind);
    let corrected_number = s.classes.contains(&Class::CorrectedNumber);
    let content = s.content.clone();
    let purpose = s.purpose.clone();
    let ptz = persona.timezone;
    let style = *[Style::Plain, Style::Plain, Style::Learner, Style::Formal]
        .choose(rng)
        .unwrap_or(&Style::Plain);
    let (him, he) = *PRONOUNS.choose(rng).unwrap_or(&("them", "they"));
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
            .replace("{him}", him)
            .replace("{He}", &cap(he))
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
    // A self-repair: the day said wrong, or the time a quarter of an hour off.
    let repaired = match (&s.wish, &full, &wrong_full) {
        (Some(w), Some(right), Some(wrong_said)) => {
            let local = w.start.with_timezone(&zone.unwrap_or(ptz));
            if rng.random_bool(0.5) {
                let day = write_day(
                    rng,
                    style,
                    local.date_naive(),
                    now.with_timezone(&zone.unwrap_or(ptz)).date_naive(),
                );
                let right_time = write_time(rng, style, local.time());
                let mut r = format!(
                    "{day}, at {}, {} {right_time}",
                    quarter_before(rng, local.time()),
                    by(
                        rng,
                        style,
                        &["uh, no, sorry,", "wait, no, I mean"],
                        &["no, sorry, I mean", "no no,"],
                        &["I beg your pardon, I mean", "or rather"],
                    )
                );
                if let Some(tz) = zone {
                    r = format!("{r}, {}", zone_said(rng, style, tz));
                }
                r
            } else {
                format!(
                    "{wrong_said}... {} {right}",
                    by(
                        rng,
                        style,
                        &["no, hang on, scratch that,", "no wait, that's wrong,"],
                        &["ah no, sorry, not this,", "sorry, is mistake,"],
                        &["no, forgive me, I misspoke,", "no, I correct myself:"],
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
            &[
                "Hey, {first} {last} here, {exec} knows me.",
                "Yeah hi, it's {first} {last}, I've called before.",
            ],
            &["Hello, I am {first} {last}, friend of {exec}."],
            &["Good evening, {first} {last} speaking; {exec} and I are well acquainted."],
        )
    } else if spelled {
        by(
            rng,
            style,
            &["So I'm {name}, last name's {spelled}."],
            &["My name is {last}, {first} {last}, I spell: {spelled}."],
            &["My name is {name}, and the surname is spelt thus: {spelled}."],
        )
    } else {
        by(
            rng,
            style,
            &[
                "So, uh, I'm {name}, I'm with {company}.",
                "Okay so my name is {name}, over at {company}.",
            ],
            &[
                "I am {name}, I work in {company}.",
                "My name is {last}, {first} {last}, from company {company}.",
            ],
            &[
                "My name is {name}, of {company}.",
                "I am {name}; I represent {company}.",
            ],
        )
    })
    .replace("{spelled}", &spell(style, &last));

    let number_ahead = match &s.callback {
        Callback::CallerId => by(
            rng,
            style,
            &[
                "Same number I'm calling on, that's my cell.",
                "Oh and the number I'm on right now works for a callback.",
            ],
            &["For call back, use this number, please."],
            &["You may return my call on this line."],
        )
        .to_string(),
        Callback::Spoken(_) => by(
            rng,
            style,
            &["Number's {n}, by the way.", "Oh, and I'm at {n}."],
            &[
                "My telephone is {n}.",
                "Please, {exec} must call me back, {n}.",
            ],
            &["I may be reached at {n}."],
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
            Goal::Message if volunteered => by(
                rng,
                style,
                &[
                    "Yeah so basically, um, you can tell {exec} that {content}.",
                    "So the reason I'm calling is, uh, {content}, and {exec} needs to know that.",
                    "I'm calling because, okay, long story short, {content}. Just so {exec} knows.",
                ],
                &[
                    "Please, you tell {exec}: {content}.",
                    "I want give message to {exec}, {content}.",
                ],
                &[
                    "Kindly note the following for {exec}: {content}.",
                    "I should be grateful if you would inform {exec} that {content}.",
                ],
            )
            .to_string(),
            Goal::Message => by(
                rng,
                style,
                &[
                    "Yeah, hi, so I'm calling because I need to get a message to {exec}.",
                    "Um, okay, so, I was trying to reach {exec}, can you take down a message?",
                    "Hey. Message for {exec}.",
                ],
                &[
                    "I want leave message for {exec}, please.",
                    "{exec} is not there? Then I give you message for {him}.",
                ],
                &[
                    "I wish to leave a message for {exec}, if I may.",
                    "Would you be so good as to take a message for {exec}?",
                ],
            )
            .to_string(),
            Goal::Book => {
                let mut o = by(
                    rng,
                    style,
                    &[
                        "Yeah so basically I wanna sit down with {exec} for a bit.",
                        "I'm calling because I'd like to get a meeting on the books with {exec}.",
                        "Um, let me see, so I need an appointment with {exec}, like an actual meeting.",
                    ],
                    &[
                        "I want make appointment with {exec}.",
                        "Is possible to meet {exec}? I need appointment.",
                    ],
                    &[
                        "I wish to arrange a meeting with {exec}.",
                        "I should like to request an appointment with {exec}, if convenient.",
                    ],
                )
                .to_string();
                if volunteered {
                    let reason = by(
                        rng,
                        style,
                        &[" The topic's {p}, basically."],
                        &[" Is about {p}."],
                        &[" The matter concerns {p}."],
                    );
                    o.push_str(reason);
                    if corrected_time && first_goal {
                        o.push_str(&format!(" {}", sentence(&repaired)));
                    } else if !corrected_time && rng.random_bool(0.5) {
                        // The time before the request.
                        o = format!(
                            "{} {}",
                            sentence(&w),
                            by(
                                rng,
                                style,
                                &[
                                    "That's when I'm hoping to see {exec}. The topic is {p}.",
                                    "That's what works for me, for a meeting with {exec} about {p}.",
                                ],
                                &["This time I want meeting with {exec}, about {p}."],
                                &["That is when I should like to meet {exec}, regarding {p}."],
                            )
                        );
                    }
                }
                o
            }
            Goal::FreeThenBook => by(
                rng,
                style,
                &[
                    "Yeah, uh, what's {exec}'s schedule like {w}?",
                    "Is {exec} booked up {w}, or is there room?",
                ],
                &["{exec} is free {w}? I want meet."],
                &["Might {exec} be at liberty {w}? I should like to call in."],
            )
            .replace("{w}", &w),
            Goal::Move => {
                let mut o = by(
                    rng,
                    style,
                    &[
                        "I'm calling because I've got an appointment with {exec} and the time doesn't work for me anymore.",
                        "Yeah so, uh, my meeting with {exec}, I gotta move it.",
                    ],
                    &[
                        "I have meeting with {exec} but I need change the time.",
                        "My appointment with {exec}, please, I want other day.",
                    ],
                    &[
                        "I wish to alter the time of my appointment with {exec}.",
                        "I find I must rearrange my appointment with {exec}.",
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
                            &[" Could it be {w} instead?"],
                            &[" New time {w}, is okay?"],
                            &[" I would propose {w} in its place."],
                        )
                        .replace("{w}", &w),
                    );
                }
                o
            }
            Goal::Cancel => by(
                rng,
                style,
                &[
                    "Yeah so I gotta cancel, I had a thing set up with {exec} and it's not gonna happen.",
                    "Hi, um, I'm calling because I can't do my appointment with {exec}, so just cancel it.",
                ],
                &[
                    "I want cancel my meeting with {exec}, I cannot come.",
                    "Please, my appointment with {exec}, you cancel it.",
                ],
                &[
                    "I must regretfully withdraw from my appointment with {exec}.",
                    "Kindly strike my appointment with {exec} from the diary.",
                ],
            )
            .to_string(),
            Goal::Faq(id) => faq_question(rng, style, id),
            Goal::Person => by(
                rng,
                style,
                &[
                    "Can I get somebody who actually works there on the line?",
                    "Yeah, I'd rather talk to a live human, if you've got one.",
                ],
                &[
                    "I want speak with human person, please.",
                    "Please, I need talk with somebody from the office.",
                ],
                &[
                    "I should prefer to speak with a human being, if you please.",
                    "Would you connect me with one of {exec}'s people?",
                ],
            )
            .to_string(),
            Goal::Urgent => by(
                rng,
                style,
                &[
                    "Yeah hi, look, I got a real situation here, {content}, and I gotta talk to {exec} tonight.",
                    "Okay so this can't wait, {content}, I need {exec} on the phone like right now.",
                ],
                &[
                    "Please, is very urgent, {content}, I must speak with {exec} tonight.",
                    "Emergency, please! {Content}. I need {exec} now.",
                ],
                &[
                    "I regret calling at this hour, but a grave matter has arisen: {content}. I must speak with {exec} this evening.",
                    "Forgive the late call. {Content}, and {exec} must be told at once.",
                ],
            )
            .to_string(),
        };
        fill(&o)
    };
    let request = opener(&first_goal, rng, true);
    // Who they are, with the request: before it, after it, or (the number first) around it.
    let introduces =
        (volunteered || known && rng.random_bool(0.5)) && !matches!(first_goal, Goal::Faq(_));
    let callback_wanted = !matches!(first_goal, Goal::Faq(_));
    let number_first = introduces
        && matches!(s.callback, Callback::Spoken(_))
        && matches!(first_goal, Goal::Message | Goal::Urgent | Goal::Person)
        && rng.random_bool(0.4);
    let mut opening = if number_first {
        let lead = by(
            rng,
            style,
            &["{n}, that's my number, in case we get cut off."],
            &["First my number: {n}."],
            &["Permit me to give my number first: {n}."],
        )
        .replace("{n}", &number_said);
        format!("{lead} {intro} {request}")
    } else if introduces {
        match rng.random_range(0..2) {
            0 => format!("{intro} {request}"),
            _ => format!("{request} {intro}"),
        }
    } else {
        request.clone()
    };
    if !number_first
        && (callback_wanted && s.classes.contains(&Class::CallerIdNumber)
            || volunteered
                && matches!(first_goal, Goal::Message | Goal::Urgent | Goal::Person)
                && rng.random_bool(0.5))
    {
        opening = format!("{opening} {number_ahead}");
    }
    // Before the request: a long preamble, or who is answering.
    let asks_who = rng.random_bool(0.25) && !matches!(first_goal, Goal::Urgent);
    let who = by(
        rng,
        style,
        &[
            "Hello? Is this a real person or, like, a robot?",
            "Wait, am I talking to a machine?",
            "Hi, um, who's this?",
        ],
        &[
            "Hello, who is speaking, please?",
            "Sorry, you are a computer?",
        ],
        &[
            "Good evening. To whom am I speaking?",
            "Am I addressing an automated service?",
        ],
    )
    .to_string();
    // Only the question, the request when the agent has answered; or both in one breath.
    let question_alone = asks_who && !volunteered && !known && rng.random_bool(0.5);
    if question_alone {
        opening = who.clone();
    } else if asks_who {
        let bridge = by(
            rng,
            style,
            &["Eh, doesn't matter.", "Okay, whatever, anyway."],
            &["Okay, no problem."],
            &["No matter."],
        );
        opening = format!("{who} {bridge} {opening}");
    } else if style == Style::Plain && rng.random_bool(0.3) {
        let preamble = pick(
            rng,
            &[
                "Hi, yeah, so, um, I've been meaning to call all week and it kept slipping my mind, anyway,",
                "Okay, hi, I got this number off the website, I hope this is the right place, so,",
                "Hey, sorry, I'm driving, so bear with me, uh,",
            ],
        );
        opening = format!("{preamble} {}", lower_first(&opening, &[&exec, &first]));
    }

    let next_goals = goals
        .iter()
        .skip(1)
        .map(|g| {
            let lead = by(
                rng,
                style,
                &[
                    "Oh yeah, and another thing,",
                    "Cool. Oh, while I've got you,",
                ],
                &["Yes, also one more thing:", "Thank you. And also"],
                &[
                    "There is one further matter:",
                    "Much obliged. I have a second matter:",
                ],
            );
            format!("{lead} {}", lower_first(&opener(g, rng, false), &[&exec]))
        })
        .collect();
    let restate = goals
        .iter()
        .map(|g| {
            fill(match g {
                Goal::Message => by(
                    rng,
                    style,
                    &["I just wanna leave {exec} a message, that's all."],
                    &["I want only leave message for {exec}."],
                    &["I merely wish to leave word for {exec}."],
                ),
                Goal::Book | Goal::FreeThenBook => by(
                    rng,
                    style,
                    &["I'm trying to set up a meeting with {exec}, is all."],
                    &["I want appointment with {exec}, please."],
                    &["I wish to make an appointment to see {exec}."],
                ),
                Goal::Move => by(
                    rng,
                    style,
                    &["I need my appointment with {exec} at a different time."],
                    &["I want change time of my appointment with {exec}."],
                    &["I must move my appointment with {exec} to another time."],
                ),
                Goal::Cancel => by(
                    rng,
                    style,
                    &["I'm just trying to cancel my appointment with {exec}."],
                    &["I want cancel appointment with {exec}."],
                    &["I wish to cancel my appointment with {exec}."],
                ),
                Goal::Faq(id) => return faq_question(rng, style, id),
                Goal::Person => by(
                    rng,
                    style,
                    &["Look, I just want a real person."],
                    &["I want talk with person, please."],
                    &["I wish to speak to a person, please."],
                ),
                Goal::Urgent => by(
                    rng,
                    style,
                    &["This is an emergency, I gotta reach {exec} tonight."],
                    &["Is emergency, I need {exec} tonight."],
                    &["It is most urgent; I must reach {exec} tonight."],
                ),
            })
        })
        .collect();

    let name_line = if known {
        fill(by(
            rng,
            style,
            &["{first} {last}, an old friend of {exec}'s."],
            &["I am {first} {last}."],
            &["{first} {last}, as I said."],
        ))
    } else if spelled {
        fill(&format!(
            "{} {}",
            by(
                rng,
                style,
                &["Uh, {name}."],
                &["My name is {name}."],
                &["{name}."],
            ),
            by(
                rng,
                style,
                &["That's"],
                &["I spell:"],
                &["The surname is spelt"],
            )
        )) + &format!(" {}.", spell(style, &last))
    } else {
        fill(by(
            rng,
            style,
            &[
                "Oh, right, {name}.",
                "{first}. {first} {last}.",
                "Uh, yeah, {name}, {company}.",
            ],
            &["My name is {last}, {first} {last}.", "I am {name}."],
            &["{name} is my name.", "{name}. That is {first}, {last}."],
        ))
    };
    let number_line = match &s.callback {
        Callback::CallerId => by(
            rng,
            style,
            &[
                "Just use the number that popped up.",
                "The one on your screen, yeah.",
            ],
            &["This number, the one I call from."],
            &["The number from which I am calling will do."],
        )
        .to_string(),
        Callback::Spoken(d) if corrected_number => {
            let mut w = d.clone().into_bytes();
            let i = w.len() - 4;
            w[i] = if w[i] == b'9' { b'4' } else { w[i] + 1 };
            let w = String::from_utf8(w).unwrap_or_default();
            by(
                rng,
                style,
                &[
                    "{w}... no, wait, that's my work line. {n}.",
                    "Uh, {w}, no, ugh, {n}.",
                ],
                &["{w}, no, sorry, wrong, is {n}."],
                &["{w}. No, I tell a lie: {n}."],
            )
            .replace("{w}", &write_number(rng, style, &w))
            .replace("{n}", &number_said)
        }
        Callback::Spoken(_) => by(
            rng,
            style,
            &["Okay, it's {n}.", "Uh, let me see, {n}."],
            &["My number, {n}.", "Is {n}."],
            &["My telephone number is {n}.", "You may reach me at {n}."],
        )
        .replace("{n}", &number_said),
    };
    let number_fix = match &s.callback {
        Callback::CallerId => by(
            rng,
            style,
            &["Nope, use the number I'm calling from."],
            &["No, the number from where I call now."],
            &["No, the number on which I am calling, please."],
        )
        .to_string(),
        Callback::Spoken(_) => by(
            rng,
            style,
            &["Nope, should be {n}."],
            &["No, no. Is {n}."],
            &["I'm afraid that is incorrect. It is {n}."],
        )
        .replace("{n}", &number_said),
    };
    let number_digits = match &s.callback {
        Callback::Spoken(d) => d
            .chars()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join("-"),
        Callback::CallerId => String::new(),
    };

    let (when, when_again, change_mind, pick_line) = match (&full, &wrong_full, &local_wish) {
        (Some(right), Some(wrong_said), Some(l)) => {
            let when = if corrected_time {
                sentence(&repaired)
            } else if changed_mind {
                by(
                    rng,
                    style,
                    &["Um, {x}?"],
                    &["{X}, please."],
                    &["{X}, if that is convenient."],
                )
                .replace("{x}", wrong_said)
                .replace("{X}", &cap(wrong_said))
            } else {
                by(
                    rng,
                    style,
                    &[
                        "Uh, let me check... okay, {w}.",
                        "Hmm, um, {w}? Yeah, {w}.",
                        "{W}, that'd be ideal.",
                    ],
                    &["{W}, is possible?", "For me is good {w}."],
                    &["I should like {w}.", "{W} would be most convenient."],
                )
                .replace("{w}", right)
                .replace("{W}", &cap(right))
            };
            let again = by(
                rng,
                style,
                &["No no, I meant {w}.", "Nah, that's not it. {W}."],
                &["No, I say {w}."],
                &["That is not what I asked for. I should like {w}."],
            )
            .replace("{w}", right)
            .replace("{W}", &cap(right));
            let change = changed_mind.then(|| {
                by(
                    rng,
                    style,
                    &[
                        "Ah shoot, no, I just remembered I can't then. {W} instead?",
                        "You know what, I take that back. Can we do {w}?",
                    ],
                    &["Sorry, sorry, this time I cannot. Better {w}."],
                    &["I beg your pardon, I have just recalled a prior engagement. Would {w} be convenient instead?"],
                )
                .replace("{w}", right)
                .replace("{W}", &cap(right))
            });
            let t = pick_time(style, l.time());
            let pick_line = by(
                rng,
                style,
                &["Yeah, gimme {t}.", "Uh, {t} works."],
                &["I take {t}."],
                &["{T} would suit me admirably."],
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
                &["Uh, let me see, I think it's {w}."],
                &["Is {w}."],
                &["It is arranged for {w}."],
            )
            .replace("{w}", &w)
        })
        .unwrap_or_default();
    let message_line = fill(by(
        rng,
        style,
        &[
            "Just tell {him} that {content}.",
            "Okay, um, tell {him} {content}. {He}'ll know what it's about.",
            "Yeah, so, {content}. That's the message.",
        ],
        &[
            "You say to {exec}: {content}.",
            "{Content}. Please, {exec} must call me back.",
        ],
        &[
            "Would you be so good as to tell {exec} that {content}.",
            "Kindly note that {content}.",
        ],
    ));
    let purpose_line = fill(by(
        rng,
        style,
        &["Uh, basically {p}.", "It's, um, {p}, mostly."],
        &["Is about {p}.", "For {p}."],
        &["The matter concerns {p}.", "I wish to discuss {p}."],
    ));

    // Once, for some callers, an answer put off.
    let books = matches!(first_goal, Goal::Book | Goal::FreeThenBook | Goal::Move);
    let aside = if known || !rng.random_bool(0.3) {
        None
    } else {
        match style {
            Style::Learner if books && !changed_mind => Some(Aside {
                at: Asked::Proposal,
                say: "Sorry, my English is not so good, you can repeat, please?".into(),
            }),
            Style::Formal if matches!(first_goal, Goal::Message) => Some(Aside {
                at: Asked::ReadBack,
                say: "Would you be so kind as to read that once more, slowly?".into(),
            }),
            Style::Plain if !number_said.is_empty() && !volunteered => Some(Aside {
                at: Asked::Number,
                say: "Uh, hang on, it's a new phone, lemme look it up... okay, got it.".into(),
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
            &["Uh, no, the name is {name}."],
            &["No, my name is not this. Is {name}."],
            &["I'm afraid you have my name wrong. It is {name}."],
        )),
        spelling: format!("{}.", spell(style, &last)),
        spelling_full: match style {
            Style::Formal => format!(
                "Certainly. {}; {}.",
                spell(style, &first),
                spell(style, &last)
            ),
            _ => format!("{}, and {}.", spell(style, &first), spell(style, &last)),
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
            &[
                "Yup.",
                "Yeah, sounds right.",
                "Uh, yeah, that's it.",
                "Yeah, go for it.",
            ],
            &["Yes, is correct.", "Yes, yes, good."],
            &["That is correct.", "Quite right.", "Indeed it is."],
        )
        .into(),
        yes_again: by(
            rng,
            style,
            &["Yes. Yeah. All of that is right."],
            &["Yes, everything is correct, thank you."],
            &["Yes, I confirm that it is all correct."],
        )
        .into(),
        no: by(
            rng,
            style,
            &["Uh, no, that's wrong."],
            &["No, is not correct."],
            &["No, that is not correct."],
        )
        .into(),
        decline: by(
            rng,
            style,
            &["Nah.", "Nah, don't bother."],
            &["No, not needed."],
            &["That won't be necessary, thank you."],
        )
        .into(),
        bye: by(
            rng,
            style,
            &["Nah, that's it. Later!", "Nope, I'm done, thanks."],
            &["No, is all. Thank you, bye bye."],
            &["No, that will be all. Good evening to you."],
        )
        .into(),
        give_up: by(
            rng,
            style,
            &["Ugh, fine, whatever works."],
            &["Okay, okay, is fine."],
            &["Very well, if it must be so."],
        )
        .into(),
        want_message: by(
            rng,
            style,
            &["Eh, just a message is fine."],
            &["Message, please, is okay."],
            &["I shall leave a message."],
        )
        .into(),
        want_person: by(
            rng,
            style,
            &["No, I need an actual person, this can't wait."],
            &["Person, please, is urgent."],
            &["I must speak with someone directly."],
        )
        .into(),
        aside,
    };
    tidy(&mut s.lines);
    s.id = s.id.replacen('c', "f", 1);
    s
}

/// A full stop after "p.m." is the abbreviation's own, as whisper writes it.
pub(super) fn tidy(l: &mut Lines) {
    let fix = |t: &mut String| {
        while t.contains("p.m..") || t.contains("a.m..") {
            *t = t.replace("p.m..", "p.m.").replace("a.m..", "a.m.");
        }
    };
    for t in l.next_goals.iter_mut().chain(l.restate.iter_mut()) {
        fix(t);
    }
    for t in [
        &mut l.opening,
        &mut l.booked_when,
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
    let (plain, learner, formal): (&[&str], &[&str], &[&str]) = match id {
        "hours" => (
            &[
                "When do you folks open up in the morning?",
                "Yeah, quick one, what time you guys close?",
            ],
            &["What time office is open?"],
            &["At what hour does the office open of a morning?"],
        ),
        "address" => (
            &["What's the address over there? I gotta put it in my phone."],
            &["Where is your office, which street?"],
            &["Would you be kind enough to give me the address of your offices?"],
        ),
        "parking" => (
            &["Can I park my car there or what?"],
            &["There is parking for car?"],
            &["Is there provision for parking at your premises?"],
        ),
        "documents" => (
            &["I got some forms signed, where do I send 'em?"],
            &["I have documents signed, where I send them?"],
            &["To whom should I direct the signed papers?"],
        ),
        "press" => (
            &["I'm a reporter, who can I talk to for a quote?"],
            &["I am journalist from magazine, who is the contact for press?"],
            &["I am a correspondent with the Herald. To whom should media enquiries be addressed?"],
        ),
        "jobs" => (
            &["You guys looking for people right now? I need a job."],
            &["I am looking for work, your company have jobs?"],
            &["I wish to enquire about employment opportunities with your firm."],
        ),
        _ => (&["Got a question for you."], &["I have question."], &["I have a query."]),
    };
    by(rng, style, plain, learner, formal).to_string()
}
