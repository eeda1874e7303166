//! The seeded corpus generator: who calls, what they want, and how they say it.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

use super::{
    digits, instant, Callback, Class, Expected, ExpectedAppointment, FactSheet, Goal, Lines, Wish,
};
use crate::logic::calendar::{ordinal, speak_time, Booked};
use crate::logic::dialog::Outcome;
use crate::persona::Persona;

/// The seed of the standard corpus.
pub const CORPUS_SEED: u64 = 0x00C0_FFEE;

/// The corpus calls happen at Tuesday 2026-11-24, 19:30 in Boston: after hours, on-call window.
pub fn corpus_now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-24T19:30:00-05:00")
        .expect("valid instant")
        .with_timezone(&Utc)
}

/// (first, last, origin).
const NAMES: &[(&str, &str)] = &[
    ("Siobhan", "Gallagher"),
    ("Niamh", "O'Sullivan"),
    ("Cormac", "Byrne"),
    ("Aoife", "Brennan"),
    ("Chinedu", "Okonkwo"),
    ("Ngozi", "Adeyemi"),
    ("Oluwaseun", "Bakare"),
    ("Emeka", "Nwosu"),
    ("Wang", "Fang"),
    ("Liu", "Yang"),
    ("Zhou", "Xin"),
    ("Linh", "Tran"),
    ("Minh", "Pham"),
    ("Huong", "Nguyen"),
    ("Arjun", "Venkataraman"),
    ("Priyanka", "Iyer"),
    ("Rohan", "Mehta"),
    ("Deepa", "Krishnan"),
    ("Omar", "Haddad"),
    ("Layla", "Mansour"),
    ("Youssef", "Khalil"),
    ("Fatima", "Al-Sayed"),
    ("Katarzyna", "Wisniewska"),
    ("Tomasz", "Kowalczyk"),
    ("Agnieszka", "Zielinska"),
    ("Javier", "Morales"),
    ("Lucia", "Fernandez"),
    ("Alejandro", "Ruiz"),
    ("Ji-woo", "Park"),
    ("Min-jun", "Kim"),
    ("Seo-yeon", "Choi"),
    ("Kwame", "Mensah"),
    ("Akosua", "Boateng"),
    ("Kofi", "Asante"),
    ("Ama", "Owusu"),
    ("Sarah", "Mitchell"),
];

/// Names sharing a word with the executive (Alex Morgan), the assistant (Jamie Chen) or a VIP
/// (Taylor Brooks).
const SHARED: &[(&str, &str)] = &[
    ("Morgan", "Fitzpatrick"),
    ("Morgan", "Adebayo"),
    ("Alex", "Nowicki"),
    ("Alex", "Oyelaran"),
    ("Jamie", "Otieno"),
    ("Wei", "Chen"),
    ("Taylor", "Mensah"),
    ("Daniel", "Brooks"),
];

/// Listed contacts (screening.toml): name, number, whether their role escalates.
const KNOWN: &[(&str, &str, &str, bool)] = &[
    ("Priya", "Raman", "+16175550134", false),
    ("Marcus", "Webb", "+16175550187", false),
    ("Grace", "Okafor", "+16175550172", true),
    ("Elena", "Novak", "+16175550164", false),
];

const VIP: (&str, &str, &str) = ("Taylor", "Brooks", "+16175550199");

const COMPANIES: &[&str] = &[
    "Bluefin Logistics",
    "Okoro and Partners",
    "Meridian Health",
    "Saffron Analytics",
    "Kestrel Robotics",
    "Lumen Bank",
    "Granite Peak Advisors",
    "Zhang and Li Architects",
    "Accra Cocoa Traders",
    "Vistula Software",
    "Seoul Bridge Ventures",
    "Dublin Bay Partners",
    "Andes Solar",
    "Lagos Fintech Hub",
    "Hanoi Textiles",
];

/// What to pass on, and the words the stored message must keep.
const CONTENTS: &[(&str, &[&str])] = &[
    (
        "the signed lease for the Pier Road office is ready",
        &["lease", "pier"],
    ),
    (
        "the investor deck needs one more revision",
        &["deck", "revision"],
    ),
    (
        "the shipment from Rotterdam cleared customs",
        &["shipment", "customs"],
    ),
    (
        "our lawyers approved the merger draft",
        &["lawyers", "merger"],
    ),
    (
        "the keynote invitation in Lisbon is confirmed",
        &["keynote", "lisbon"],
    ),
    (
        "the payroll vendor needs a signature on the renewal",
        &["payroll", "signature"],
    ),
    (
        "the prototype passed the safety tests",
        &["prototype", "safety"],
    ),
    (
        "the board dinner moved to the Seaport hotel",
        &["dinner", "seaport"],
    ),
    ("the grant application was accepted", &["grant", "accepted"]),
    (
        "the supplier visit is pushed to Thursday",
        &["supplier", "visit"],
    ),
    ("the press release needs approval", &["release", "approval"]),
    (
        "the new office keys are with the concierge",
        &["keys", "concierge"],
    ),
    (
        "the cloud migration finished without downtime",
        &["migration", "downtime"],
    ),
    (
        "the partnership contract is signed",
        &["contract", "signed"],
    ),
    (
        "the auditors want the inventory figures",
        &["auditors", "inventory"],
    ),
];

/// Reasons that cannot wait.
const URGENT: &[(&str, &[&str])] = &[
    (
        "the factory in Monterrey has stopped production",
        &["factory", "production"],
    ),
    (
        "the acquisition terms changed and we have to answer",
        &["acquisition", "terms"],
    ),
    (
        "our biggest client is threatening to leave",
        &["client", "leave"],
    ),
    ("the data centre lost power", &["data", "power"]),
    ("the bank froze our payroll account", &["bank", "payroll"]),
];

const PURPOSES: &[(&str, &[&str])] = &[
    ("the quarterly budget review", &["budget"]),
    ("our seed investment", &["investment"]),
    ("the warehouse lease", &["warehouse"]),
    ("a roadmap review", &["roadmap"]),
    ("the Seoul expansion", &["seoul"]),
    ("a speaking invitation", &["speaking"]),
    ("the audit findings", &["audit"]),
    ("the supplier contract renewal", &["supplier"]),
    ("the research grant", &["grant"]),
    ("the hiring plan", &["hiring"]),
];

/// My own paraphrases of each FAQ entry, never the file's wording.
const FAQS: &[(&str, &[&str])] = &[
    (
        "hours",
        &[
            "What time do you guys open in the morning?",
            "Until what time is the office open?",
            "What are the opening hours?",
            "When do you close on Fridays?",
        ],
    ),
    (
        "address",
        &[
            "What's the address of your office?",
            "Where exactly is your office?",
            "Can you tell me where you're located?",
            "I'm coming in next week, what's the address?",
        ],
    ),
    (
        "parking",
        &[
            "Is there somewhere to park nearby?",
            "Where should I leave my car when I visit?",
            "Do you have visitor parking?",
        ],
    ),
    (
        "documents",
        &[
            "Where do I email the signed contract?",
            "How should I send over the paperwork?",
            "What's the best way to get documents to you?",
        ],
    ),
    (
        "press",
        &[
            "I'm a reporter with the Globe, who handles press questions?",
            "I'm writing a story, who do I talk to for a comment?",
        ],
    ),
    (
        "jobs",
        &[
            "Do you have any openings right now?",
            "I'd like to apply for a job there.",
            "Are you hiring engineers at the moment?",
        ],
    ),
];

const ZONES: &[(&str, &str, Tz)] = &[
    ("London", "London time", chrono_tz::Europe::London),
    ("Dublin", "Dublin time", chrono_tz::Europe::Dublin),
    ("Denver", "Mountain time", chrono_tz::America::Denver),
    ("Chicago", "Central time", chrono_tz::America::Chicago),
    (
        "Los Angeles",
        "Pacific time",
        chrono_tz::America::Los_Angeles,
    ),
    ("Lagos", "Lagos time", chrono_tz::Africa::Lagos),
];

/// The callers' voices: natural voices that are not the agent's own (hibari), from
/// `tts::caller` (Piper's joe, Kokoro's kumo).
const VOICES: &[&str] = &["joe", "kumo"];

const RATES: &[f32] = &[0.85, 0.95, 1.0, 1.0, 1.1, 1.2];

/// The primary shape of a call; the generator cycles through these so every class is covered.
#[derive(Debug, Clone, Copy)]
enum Shape {
    Message,
    Book,
    FreeThenBook,
    Move,
    Cancel,
    Faq,
    FaqThenBook,
    FaqThenMessage,
    Person,
    Urgent,
    Vip,
    Known,
}

const SHAPES: &[Shape] = &[
    Shape::Message,
    Shape::Book,
    Shape::Message,
    Shape::Book,
    Shape::FreeThenBook,
    Shape::Move,
    Shape::Cancel,
    Shape::Faq,
    Shape::FaqThenBook,
    Shape::FaqThenMessage,
    Shape::Person,
    Shape::Urgent,
    Shape::Vip,
    Shape::Known,
    Shape::Message,
    Shape::Book,
];

fn pick<'a, T: ?Sized>(rng: &mut StdRng, xs: &'a [&'a T]) -> &'a T {
    xs.choose(rng).expect("non-empty")
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// `n` calls from `seed`, for `persona`, happening at `now`. Deterministic.
pub fn generate(persona: &Persona, now: DateTime<Utc>, seed: u64, n: usize) -> Vec<FactSheet> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut used_numbers = Vec::new();
    (0..n)
        .map(|i| {
            let shape = SHAPES[i % SHAPES.len()];
            one(persona, now, &mut rng, i, shape, &mut used_numbers)
        })
        .collect()
}

/// A fictional number nobody listed uses: (digits, spoken forms chosen later).
fn fresh_number(rng: &mut StdRng, used: &mut Vec<String>, foreign: bool) -> String {
    loop {
        let d = if foreign {
            format!("4420794600{:02}", rng.random_range(10..99))
        } else {
            let area = *["617", "857", "212", "312", "415", "720", "646"]
                .choose(rng)
                .expect("non-empty");
            format!("{area}55501{:02}", rng.random_range(10..99))
        };
        let listed = [
            "6175550134",
            "6175550187",
            "6175550172",
            "6175550164",
            "6175550199",
            "6175550142",
            "6175550100",
        ];
        if !listed.contains(&d.as_str()) && !used.contains(&d) {
            used.push(d.clone());
            return d;
        }
    }
}

const DIGIT_WORDS: [&str; 10] = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
];

/// A number as this caller says it.
fn say_number(rng: &mut StdRng, d: &str) -> String {
    let words = |s: &str, oh: bool| {
        s.chars()
            .map(|c| {
                let w = DIGIT_WORDS[c.to_digit(10).unwrap_or(0) as usize];
                if oh && c == '0' {
                    "oh"
                } else {
                    w
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    if d.len() != 10 {
        // A UK number: "+44 20 7946 0012".
        return match rng.random_range(0..2) {
            0 => format!("plus 44 20 7946 {}", &d[8..]),
            _ => format!(
                "plus four four, two oh, {}, {}",
                words(&d[4..8], true),
                words(&d[8..], true)
            ),
        };
    }
    let (a, b, c) = (&d[..3], &d[3..6], &d[6..]);
    match rng.random_range(0..5) {
        0 => format!("{a}-{b}-{c}"),
        1 => format!("{a} {b} {c}"),
        2 => format!(
            "{}, {}, {}",
            words(a, false),
            words(b, false),
            words(c, false)
        ),
        3 => format!("{}, {}, {}", words(a, true), words(b, true), words(c, true)),
        _ => format!("area code {a}, then {b} {c}"),
    }
}

/// A wished meeting start, in the persona's zone and (sometimes) the caller's, and how it is
/// said. `avoid` keeps it off another slot.
fn make_wish(
    persona: &Persona,
    now: DateTime<Utc>,
    rng: &mut StdRng,
    zone: Option<(&str, &str, Tz)>,
    avoid: Option<DateTime<Utc>>,
) -> Wish {
    let ptz = persona.timezone;
    let today = now.with_timezone(&ptz).date_naive();
    loop {
        let date = today + Duration::days(rng.random_range(1..22));
        if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            continue;
        }
        let half_hours = rng.random_range(0..16u32);
        let t = NaiveTime::from_hms_opt(9 + half_hours / 2, (half_hours % 2) * 30, 0)
            .expect("valid time");
        let start = instant(ptz, date.and_time(t));
        if Some(start) == avoid || start - now < Duration::hours(14) {
            continue;
        }
        let ctz = zone.map(|z| z.2).unwrap_or(ptz);
        let local = start.with_timezone(&ctz).naive_local();
        if !(8..=18).contains(&local.hour()) {
            continue;
        }
        let caller_today = now.with_timezone(&ctz).date_naive();
        let day = say_day(rng, local.date(), caller_today, zone.is_some());
        let time = say_time(rng, local.time(), zone.is_some());
        let spoken = match zone {
            None => match rng.random_range(0..3) {
                0 => format!("{time} {day}"),
                _ => format!("{day} {time}"),
            },
            Some((city, zname, _)) => match rng.random_range(0..3) {
                0 => format!("{day} {time} {zname}"),
                1 => format!("{day} {time} my time, I'm in {city}"),
                _ => format!("{day} {time}, {city} time"),
            },
        };
        return Wish {
            start,
            spoken,
            zone: zone.map(|z| z.2),
        };
    }
}

fn say_day(rng: &mut StdRng, date: NaiveDate, today: NaiveDate, foreign: bool) -> String {
    let ahead = (date - today).num_days();
    let weekday = date.format("%A").to_string();
    let month = date.format("%B").to_string();
    let nth = ordinal(date.day());
    // The Monday after this week's.
    let next_monday = today + Duration::days(7 - today.weekday().num_days_from_monday() as i64);
    let in_next_week = date >= next_monday && date < next_monday + Duration::days(7);
    let mut forms = vec![
        format!("on {month} {nth}"),
        format!("on the {nth} of {month}"),
        format!("{weekday}, {month} {nth},"),
    ];
    if ahead == 1 && !foreign {
        forms.push("tomorrow".into());
    }
    if ahead < 7 && date < next_monday {
        forms.push(format!("on {weekday}"));
        forms.push(format!("this {weekday}"));
    }
    if in_next_week {
        forms.push(format!("next {weekday}"));
    }
    forms.choose(rng).cloned().expect("non-empty")
}

fn say_time(rng: &mut StdRng, t: NaiveTime, foreign: bool) -> String {
    let (h, m) = (t.hour(), t.minute());
    let h12 = if h > 12 { h - 12 } else { h };
    let part = if h < 12 {
        "in the morning"
    } else {
        "in the afternoon"
    };
    let clock = speak_time(t);
    let mut forms = vec![format!("at {clock}")];
    if h != 12 {
        forms.push(format!(
            "at {} {part}",
            if m == 0 {
                h12.to_string()
            } else {
                format!("{h12}:{m:02}")
            }
        ));
    }
    if m == 30 && h != 12 {
        forms.push(format!("at half past {h12} {part}"));
    }
    if !foreign && m == 0 && ((9..=11).contains(&h) || (13..=16).contains(&h)) {
        forms.push(format!("at {h12}"));
    }
    forms.choose(rng).cloned().expect("non-empty")
}

/// A name word spelled on request, the way caller `i` spells: letters with stops
/// ("Krishnan, K. R. I. S. H. N. A. N.") or plain ("It's K R I S H N A N.").
fn spell_out(word: &str, i: usize) -> String {
    let letters: Vec<String> = word
        .chars()
        .filter(|c| c.is_alphabetic())
        .map(|c| c.to_ascii_uppercase().to_string())
        .collect();
    if i % 2 == 0 {
        format!("{word}, {}.", letters.join(". "))
    } else {
        format!("It's {}.", letters.join(" "))
    }
}

/// "6175550110" → "Six one seven, five five five, zero one one zero."
fn digit_words(d: &str) -> String {
    const WORDS: [&str; 10] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    ];
    let words: Vec<&str> = d
        .chars()
        .filter_map(|c| c.to_digit(10).map(|n| WORDS[n as usize]))
        .collect();
    let groups: Vec<String> = if words.len() == 10 {
        vec![
            words[..3].join(" "),
            words[3..6].join(" "),
            words[6..].join(" "),
        ]
    } else {
        vec![words.join(" ")]
    };
    let mut s = groups.join(", ");
    if let Some(f) = s.get(..1) {
        s = f.to_uppercase() + &s[1..];
    }
    format!("{s}.")
}

fn spelled(word: &str) -> String {
    letters(word, " ")
}

/// A word's letters in capitals, joined by `sep`: "D E E P A", "D-E-E-P-A".
pub(super) fn letters(word: &str, sep: &str) -> String {
    word.chars()
        .filter(|c| c.is_alphabetic())
        .map(|c| c.to_ascii_uppercase().to_string())
        .collect::<Vec<_>>()
        .join(sep)
}

fn one(
    persona: &Persona,
    now: DateTime<Utc>,
    rng: &mut StdRng,
    i: usize,
    shape: Shape,
    used_numbers: &mut Vec<String>,
) -> FactSheet {
    let exec = persona.executive_first().to_string();
    let mut classes = Vec::new();

    // Who calls.
    let mut listed_number = None;
    let mut escalates_by_role = false;
    let (first, last, kind) = match shape {
        Shape::Vip => {
            listed_number = Some(VIP.2);
            (VIP.0, VIP.1, "vip")
        }
        Shape::Known => {
            let k = KNOWN[i / SHAPES.len() % KNOWN.len()];
            listed_number = Some(k.2);
            escalates_by_role = k.3;
            (k.0, k.1, "known")
        }
        _ if rng.random_bool(0.2) => {
            let n = SHARED.choose(rng).expect("non-empty");
            (n.0, n.1, "shared")
        }
        _ => {
            let n = NAMES.choose(rng).expect("non-empty");
            (
                n.0,
                n.1,
                if rng.random_bool(0.2) {
                    "spelled"
                } else {
                    "plain"
                },
            )
        }
    };
    match kind {
        "vip" => classes.push(Class::Vip),
        "known" => classes.push(Class::KnownContact),
        "shared" => classes.push(Class::SharedName),
        "spelled" => classes.push(Class::SpelledName),
        _ => {}
    }
    let name = format!("{first} {last}");
    let company = match kind {
        "vip" | "known" => None,
        _ => Some(pick(rng, COMPANIES).to_string()),
    };

    // Goals.
    let faq = FAQS.choose(rng).expect("non-empty");
    let faq_question = pick(rng, faq.1).to_string();
    let goals = match shape {
        Shape::Message => vec![Goal::Message],
        Shape::Book => vec![Goal::Book],
        Shape::FreeThenBook => vec![Goal::FreeThenBook],
        Shape::Move => vec![Goal::Move],
        Shape::Cancel => vec![Goal::Cancel],
        Shape::Faq => vec![Goal::Faq(faq.0.into())],
        Shape::FaqThenBook => vec![Goal::Faq(faq.0.into()), Goal::Book],
        Shape::FaqThenMessage => vec![Goal::Faq(faq.0.into()), Goal::Message],
        Shape::Person => vec![Goal::Person],
        Shape::Urgent | Shape::Vip => vec![Goal::Urgent],
        Shape::Known if escalates_by_role => vec![Goal::Message],
        Shape::Known => vec![[Goal::Book, Goal::Message, Goal::Move][i % 3].clone()],
    };
    for g in &goals {
        let c = match g {
            Goal::Message => Class::Message,
            Goal::Book => Class::Book,
            Goal::FreeThenBook => Class::FreeThenBook,
            Goal::Move => Class::Move,
            Goal::Cancel => Class::Cancel,
            Goal::Faq(_) => Class::Faq,
            Goal::Person => Class::Person,
            Goal::Urgent => Class::Urgent,
        };
        if !classes.contains(&c) {
            classes.push(c);
        }
    }
    if goals.len() > 1 {
        classes.push(Class::FaqThenMore);
    }
    let books = goals
        .iter()
        .any(|g| matches!(g, Goal::Book | Goal::FreeThenBook | Goal::Move));

    // Where they are and what their line shows.
    let zone = (books && rng.random_bool(0.3)).then(|| *ZONES.choose(rng).expect("non-empty"));
    if zone.is_some() {
        classes.push(Class::ForeignZone);
    }
    let foreign_number = zone.is_some_and(|z| z.0 == "London") && !books;
    let own = listed_number
        .map(digits)
        .unwrap_or_else(|| fresh_number(rng, used_numbers, foreign_number));
    let caller_id = match listed_number {
        Some(n) if rng.random_bool(0.7) => Some(n.to_string()),
        Some(_) => Some(format!("+1{}", fresh_number(rng, used_numbers, false))),
        None => match rng.random_range(0..10) {
            0 => None,
            1 => Some("Anonymous".to_string()),
            _ => Some(format!("+{}{own}", if own.len() == 10 { "1" } else { "" })),
        },
    };
    let has_id = caller_id.as_deref().is_some_and(|c| digits(c).len() >= 7);
    if !has_id {
        classes.push(Class::NoCallerId);
    }
    let id_is_listed = listed_number.is_some() && caller_id.as_deref() == listed_number;
    let callback = if id_is_listed || has_id && (books || rng.random_bool(0.6)) {
        Callback::CallerId
    } else {
        Callback::Spoken(own.clone())
    };
    let volunteer = rng.random_range(0..3);
    if volunteer > 0 {
        classes.push(Class::Volunteered);
    }
    if callback == Callback::CallerId && volunteer == 2 && !id_is_listed {
        classes.push(Class::CallerIdNumber);
    }

    // What they say.
    let (content, content_kw) = match goals.last() {
        Some(Goal::Urgent) => *URGENT.choose(rng).expect("non-empty"),
        _ => *CONTENTS.choose(rng).expect("non-empty"),
    };
    let content_keywords: Vec<String> = content_kw.iter().map(|s| s.to_string()).collect();
    let (purpose, purpose_kw) = *PURPOSES.choose(rng).expect("non-empty");
    let purpose_keywords: Vec<String> = purpose_kw.iter().map(|s| s.to_string()).collect();

    let existing_and_spoken = goals
        .iter()
        .any(|g| matches!(g, Goal::Move | Goal::Cancel))
        .then(|| {
            let w = make_wish(persona, now, rng, None, None);
            let booked = Booked {
                id: format!("apt_{i:03}"),
                start: w.start,
                end: w.start + persona.meetings.length(),
                caller_name: Some(name.clone()),
                caller_number: Some(format!(
                    "+1{}",
                    if has_id {
                        digits(caller_id.as_deref().unwrap_or(""))
                    } else {
                        own.clone()
                    }
                )),
                purpose: Some(purpose.to_string()),
            };
            (booked, w.spoken)
        });
    let (existing, existing_spoken) = existing_and_spoken.unzip();
    let wish =
        books.then(|| make_wish(persona, now, rng, zone, existing.as_ref().map(|e| e.start)));
    let correction = if books { rng.random_range(0..6) } else { 9 };
    let wrong_wish = (correction <= 1)
        .then(|| make_wish(persona, now, rng, zone, wish.as_ref().map(|w| w.start)));
    match correction {
        0 => classes.push(Class::CorrectedTime),
        1 => classes.push(Class::ChangedMind),
        _ => {}
    }
    let number_correction = matches!(callback, Callback::Spoken(_)) && rng.random_bool(0.2);
    if number_correction {
        classes.push(Class::CorrectedNumber);
    }

    let number_said = match &callback {
        Callback::Spoken(d) => say_number(rng, d),
        Callback::CallerId => String::new(),
    };
    let intro_name = match kind {
        "known" | "vip" => pick(
            rng,
            &[
                "Hi, it's {first} again.",
                "Hello, it's {first} {last} again.",
                "It's {first} {last}.",
            ],
        )
        .replace("{first}", first)
        .replace("{last}", last),
        "spelled" => pick(
            rng,
            &[
                "My name is {name}, that's {spelled}.",
                "This is {name} from {company}, {last} is spelled {spelled}.",
            ],
        )
        .replace("{spelled}", &spelled(last)),
        _ => pick(
            rng,
            &[
                "This is {name} from {company}.",
                "My name is {name}, I'm with {company}.",
                "Hi, {name} here, from {company}.",
                "It's {name} at {company}.",
            ],
        )
        .to_string(),
    }
    .replace("{name}", &name)
    .replace("{last}", last)
    .replace("{company}", company.as_deref().unwrap_or("Northwind"));
    let number_volunteer = match &callback {
        Callback::CallerId => pick(
            rng,
            &[
                "My number is the one I'm calling from.",
                "You can call me back on this number.",
            ],
        )
        .to_string(),
        Callback::Spoken(_) => pick(
            rng,
            &[
                "My number is {n}.",
                "You can call me back on {n}.",
                "Call me on {n}.",
            ],
        )
        .replace("{n}", &number_said),
    };
    let content_volunteer = pick(
        rng,
        &[
            "Could you tell {exec} that {content}?",
            "Please let {exec} know that {content}.",
            "I'm calling to let {exec} know that {content}.",
        ],
    )
    .replace("{content}", content);
    let when_line = |rng: &mut StdRng, w: &Wish| {
        pick(
            rng,
            &[
                "{w}.",
                "How about {w}?",
                "Could we do {w}?",
                "I was thinking {w}.",
                "{W} would be great.",
            ],
        )
        .replace("{w}", &w.spoken)
        .replace("{W}", &cap(&w.spoken))
    };

    // The first goal as an opening, with what they volunteer.
    let opener = |g: &Goal, rng: &mut StdRng, first_goal: bool| -> String {
        let w = if first_goal {
            wrong_wish
                .as_ref()
                .filter(|_| correction == 1)
                .or(wish.as_ref())
        } else {
            wish.as_ref()
        };
        match g {
            Goal::Message if volunteer > 0 => content_volunteer.clone(),
            Goal::Message => pick(
                rng,
                &[
                    "I'd like to leave a message for {exec}.",
                    "Can I leave a message?",
                    "Could you pass something on to {exec}?",
                ],
            )
            .to_string(),
            Goal::Book => {
                let mut s = pick(
                    rng,
                    &[
                        "I'd like to book a meeting with {exec}.",
                        "I'm hoping to set up a meeting with {exec}.",
                        "Could I schedule some time with {exec}?",
                        "I want to make an appointment.",
                    ],
                )
                .to_string();
                if volunteer > 0 {
                    s.push_str(&format!(" It's about {purpose}."));
                }
                if volunteer == 2 && correction != 0 {
                    if let Some(w) = w {
                        s.push_str(&format!(" Maybe {}?", w.spoken));
                    }
                }
                s
            }
            Goal::FreeThenBook => pick(
                rng,
                &[
                    "Is {exec} free {w}?",
                    "Does {exec} have time {w}?",
                    "Would {exec} be available {w}?",
                ],
            )
            .replace("{w}", &w.map(|w| w.spoken.clone()).unwrap_or_default()),
            Goal::Move => {
                let mut s = pick(
                    rng,
                    &[
                        "I need to move my appointment with {exec}.",
                        "Can I reschedule my meeting?",
                        "I have to change the time of my appointment.",
                    ],
                )
                .to_string();
                if volunteer == 2 && correction != 0 {
                    if let Some(w) = w {
                        s.push_str(&format!(" Could we do {} instead?", w.spoken));
                    }
                }
                s
            }
            Goal::Cancel => pick(
                rng,
                &[
                    "I need to cancel my appointment.",
                    "I won't be able to make my meeting with {exec}, please cancel it.",
                    "I'd like to cancel my meeting.",
                ],
            )
            .to_string(),
            Goal::Faq(_) => faq_question.clone(),
            Goal::Person => pick(
                rng,
                &[
                    "Can I speak to a real person?",
                    "Could you put me through to someone, please?",
                    "Is there someone I could talk to?",
                ],
            )
            .to_string(),
            Goal::Urgent => format!(
                "{} {}.",
                pick(
                    rng,
                    &[
                        "I need to speak with {exec} tonight.",
                        "I have to talk to {exec} tonight, it can't wait.",
                        "I need {exec} on the phone tonight.",
                    ],
                ),
                cap(content)
            ),
        }
        .replace("{exec}", &exec)
    };
    let mut opening = opener(&goals[0], rng, true);
    let introduces = volunteer > 0 || matches!(kind, "known" | "vip") && rng.random_bool(0.5);
    if introduces && !matches!(goals[0], Goal::Faq(_)) {
        opening = if rng.random_bool(0.5) {
            format!("{intro_name} {opening}")
        } else {
            format!("{opening} {intro_name}")
        };
    }
    if volunteer == 2 && matches!(goals[0], Goal::Message | Goal::Urgent | Goal::Person) {
        opening = format!("{opening} {number_volunteer}");
    }
    let next_goals: Vec<String> = goals
        .iter()
        .skip(1)
        .map(|g| {
            let lead = pick(
                rng,
                &["Yes, one more thing.", "Actually, yes.", "Yes, there is."],
            );
            format!("{lead} {}", opener(g, rng, false))
        })
        .collect();
    let restate: Vec<String> = goals
        .iter()
        .map(|g| {
            match g {
                Goal::Message => "I want to leave a message for {exec}.".to_string(),
                Goal::Book | Goal::FreeThenBook => "I want to book a meeting with {exec}.".into(),
                Goal::Move => "I want to move my appointment.".into(),
                Goal::Cancel => "I want to cancel my appointment.".into(),
                Goal::Faq(_) => faq_question.clone(),
                Goal::Person => "I'd like to speak to a person.".into(),
                Goal::Urgent => "It's urgent, I need to speak with someone tonight.".into(),
            }
            .replace("{exec}", &exec)
        })
        .collect();

    let name_line = match kind {
        "spelled" => format!("{name}. That's {}.", spelled(last)),
        "known" | "vip" => format!("It's {name}."),
        _ => pick(
            rng,
            &[
                "It's {name}.",
                "My name is {name}.",
                "{name}.",
                "{name}, from {company}.",
                "This is {name}.",
            ],
        )
        .replace("{name}", &name)
        .replace("{company}", company.as_deref().unwrap_or("Northwind")),
    };
    let number_line = match &callback {
        Callback::CallerId => pick(
            rng,
            &[
                "The one I'm calling from.",
                "You can use the number I'm calling from.",
            ],
        )
        .to_string(),
        Callback::Spoken(d) if number_correction => {
            let mut wrong = d.clone().into_bytes();
            let last_i = wrong.len() - 1;
            wrong.swap(last_i, last_i - 1);
            if wrong[last_i] == wrong[last_i - 1] {
                wrong[last_i] = if wrong[last_i] == b'9' {
                    b'1'
                } else {
                    wrong[last_i] + 1
                };
            }
            let wrong = String::from_utf8(wrong).expect("digits");
            format!(
                "It's {}. Sorry, no, let me say that again: {number_said}.",
                say_number(rng, &wrong)
            )
        }
        Callback::Spoken(_) => cap(&pick(
            rng,
            &[
                "My number is {n}.",
                "It's {n}.",
                "{n}.",
                "You can reach me at {n}.",
            ],
        )
        .replace("{n}", &number_said)),
    };
    let number_fix = match &callback {
        Callback::CallerId => "Yes, the number I'm calling from.".to_string(),
        Callback::Spoken(_) => format!("No, please call me on {number_said}."),
    };
    let message_line = pick(
        rng,
        &[
            "Please tell {exec} that {content}.",
            "Just that {content}.",
            "{Content}.",
            "Let {exec} know that {content}, thanks.",
        ],
    )
    .replace("{exec}", &exec)
    .replace("{content}", content)
    .replace("{Content}", &cap(content));
    let purpose_line = pick(
        rng,
        &[
            "It's about {p}.",
            "{P}.",
            "We need to discuss {p}.",
            "I'd like to go over {p} with {exec}.",
        ],
    )
    .replace("{exec}", &exec)
    .replace("{p}", purpose)
    .replace("{P}", &cap(purpose));
    let (when, when_again, change_mind, pick_line) = match &wish {
        Some(w) => {
            let right = when_line(rng, w);
            let when = match (&wrong_wish, correction) {
                (Some(wrong), 0) => {
                    format!(
                        "{}... {} {}",
                        cap(wrong.spoken.trim_end_matches(',')),
                        pick(
                            rng,
                            &[
                                "actually no, make it",
                                "sorry, no, let's say",
                                "wait, no, better"
                            ]
                        ),
                        w.spoken.trim_end_matches(',')
                    ) + "."
                }
                (Some(wrong), _) => when_line(rng, wrong),
                _ => right,
            };
            let again = format!("No, I said {}.", w.spoken.trim_end_matches(','));
            let change = (correction == 1).then(|| {
                format!(
                    "Actually, sorry, could we make it {} instead?",
                    w.spoken.trim_end_matches(',')
                )
            });
            let local = w.start.with_timezone(&persona.timezone).time();
            let pick_line = format!("The {} one, please.", speak_time(local));
            (when, again, change, pick_line)
        }
        None => Default::default(),
    };
    let lines = Lines {
        opening,
        next_goals,
        restate,
        name: name_line,
        name_fix: format!("No, my name is {name}."),
        spelling: spell_out(last, i),
        spelling_full: format!("{}; {}", spell_out(first, i), spell_out(last, i)),
        booked_when: existing_spoken
            .map(|s| format!("It's {}.", s.trim_end_matches(',')))
            .unwrap_or_default(),
        number: number_line,
        number_digits: match &callback {
            Callback::Spoken(d) => digit_words(d),
            Callback::CallerId => String::new(),
        },
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
                "Yes, that's right.",
                "Yes.",
                "Yep, that's correct.",
                "Correct.",
                "Yes, please.",
            ],
        )
        .into(),
        yes_again: "Yes, that's right, thank you.".into(),
        no: pick(
            rng,
            &["No, that's not right.", "No.", "Nope, that's wrong."],
        )
        .into(),
        decline: pick(rng, &["No, thank you.", "No thanks.", "That's okay, no."]).into(),
        bye: pick(
            rng,
            &[
                "No, that's all. Thank you, bye.",
                "That's everything, thanks. Goodbye.",
                "No thanks, goodbye.",
            ],
        )
        .into(),
        give_up: pick(rng, &["Okay, fine.", "Whatever, that's fine."]).into(),
        want_message: "A message, please.".into(),
        want_person: "A person, please.".into(),
        aside: None,
    };

    // What should come of it.
    let escalated =
        matches!(shape, Shape::Vip | Shape::Urgent | Shape::Person) || escalates_by_role;
    let outcome = if escalated {
        Outcome::Escalated
    } else {
        goals
            .iter()
            .map(|g| match g {
                Goal::Message => Outcome::Message,
                Goal::Book | Goal::FreeThenBook => Outcome::Booked,
                Goal::Move => Outcome::Rescheduled,
                Goal::Cancel => Outcome::Cancelled,
                Goal::Faq(_) => Outcome::Faq,
                Goal::Person | Goal::Urgent => Outcome::Escalated,
            })
            .max()
            .unwrap_or(Outcome::Abandoned)
    };
    let appointment = goals.iter().find_map(|g| match g {
        Goal::Book | Goal::FreeThenBook => {
            wish.as_ref().map(|w| ExpectedAppointment::Booked(w.start))
        }
        Goal::Move => Some(ExpectedAppointment::Moved {
            id: existing.as_ref()?.id.clone(),
            to: wish.as_ref()?.start,
        }),
        Goal::Cancel => Some(ExpectedAppointment::Cancelled {
            id: existing.as_ref()?.id.clone(),
        }),
        _ => None,
    });
    let needs_contact = matches!(
        outcome,
        Outcome::Message | Outcome::Booked | Outcome::Escalated
    );
    let callback_digits = match &callback {
        Callback::Spoken(d) => Some(d.clone()),
        Callback::CallerId => caller_id.as_deref().map(digits),
    };
    let expected = Expected {
        outcome,
        appointment,
        faq: goals
            .iter()
            .filter_map(|g| match g {
                Goal::Faq(id) => Some(id.clone()),
                _ => None,
            })
            .collect(),
        name: needs_contact.then(|| name.clone()),
        number: needs_contact.then_some(callback_digits).flatten(),
        message_keywords: if goals
            .iter()
            .any(|g| matches!(g, Goal::Message | Goal::Urgent | Goal::Person))
        {
            content_keywords.clone()
        } else {
            Vec::new()
        },
        purpose_keywords: if outcome == Outcome::Booked {
            purpose_keywords.clone()
        } else {
            Vec::new()
        },
    };

    let noise_dbfs = rng
        .random_bool(0.3)
        .then(|| -50.0 + 2.0 * rng.random_range(0..6) as f32);
    if noise_dbfs.is_some() {
        classes.push(Class::Noisy);
    }
    classes.sort();
    FactSheet {
        id: format!("c{i:03}"),
        classes,
        goals,
        name,
        company,
        callback,
        caller_id,
        content: content.to_string(),
        content_keywords,
        purpose: purpose.to_string(),
        purpose_keywords,
        wish,
        existing,
        voice: pick(rng, VOICES).to_string(),
        rate: *RATES.choose(rng).expect("non-empty"),
        noise_dbfs,
        lines,
        expected,
    }
}
