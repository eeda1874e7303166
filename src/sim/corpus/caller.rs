//! The reactive caller: reads the agent's latest words and answers from its fact sheet.
//!
//! It recognises what it is being asked from the persona's phrasing (loosely, so that words
//! transcribed from audio work too), answers in its own wording, and compares what the agent
//! reads back — slots against its wish in the persona's zone, numbers digit by digit, the
//! message word by word — saying no and restating when it is wrong.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use chrono_tz::Tz;

use super::{digits, missing_keywords, name_matches, Asked, FactSheet, Goal};

/// What the caller does next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Say(String),
    Hangup,
}

/// One simulated caller in one call.
#[derive(Debug, Clone)]
pub struct Caller {
    sheet: FactSheet,
    tz: Tz,
    now: DateTime<Utc>,
    /// Index of the goal being pursued.
    goal: usize,
    opened: bool,
    asked_when: u32,
    changed_mind: bool,
    /// How many times the caller said no to a read-back or proposal.
    noes: u32,
    /// The verdict on the last read-back, for "was that a yes or a no?".
    last_verdict: bool,
    last: String,
    turns: usize,
    misrouted: bool,
    /// Hung up after the agent kept offering times they never asked for.
    frustrated: bool,
    /// The aside (an answer to another question) was said.
    aside_said: bool,
}

/// The most turns a caller takes before giving up on a stuck call.
pub const TURN_LIMIT: usize = 24;

impl Caller {
    /// A caller with `sheet`, calling an agent in zone `tz` at `now`.
    pub fn new(sheet: FactSheet, tz: Tz, now: DateTime<Utc>) -> Self {
        Self {
            sheet,
            tz,
            now,
            goal: 0,
            opened: false,
            asked_when: 0,
            changed_mind: false,
            noes: 0,
            last_verdict: true,
            last: String::new(),
            turns: 0,
            misrouted: false,
            frustrated: false,
            aside_said: false,
        }
    }

    /// Whether the caller gave up: at the turn limit, or after refusing offered times thrice.
    pub fn is_stuck(&self) -> bool {
        self.turns >= TURN_LIMIT || self.frustrated
    }

    /// Whether the agent asked about a meeting (its purpose, a day, a choice of slots) while
    /// the caller wanted something else.
    pub fn was_misrouted(&self) -> bool {
        self.misrouted
    }

    fn note_meeting_question(&mut self) {
        if !matches!(
            self.goal(),
            Some(Goal::Book | Goal::FreeThenBook | Goal::Move)
        ) {
            self.misrouted = true;
        }
    }

    /// The fact sheet.
    pub fn sheet(&self) -> &FactSheet {
        &self.sheet
    }

    fn goal(&self) -> Option<&Goal> {
        self.sheet.goals.get(self.goal)
    }

    /// The caller's answer to the agent's latest turn.
    pub fn reply(&mut self, agent: &str) -> Reply {
        if self.turns >= TURN_LIMIT {
            return Reply::Hangup;
        }
        let reply = match self.choose(agent) {
            // Nothing to say to that (no wish, say): state plainly what they want.
            Reply::Say(s) if s.is_empty() => Reply::Say(self.restatement()),
            // Not heard: a short yes is said again more fully, as people do.
            Reply::Say(s)
                if s == self.last
                    && s == self.sheet.lines.yes
                    && ["didn't catch", "say yes or no", "yes or a no"]
                        .iter()
                        .any(|p| agent.to_lowercase().contains(p)) =>
            {
                Reply::Say(self.sheet.lines.yes_again.clone())
            }
            // Not heard spelling both names: the last name alone.
            Reply::Say(s)
                if s == self.last
                    && s == self.sheet.lines.spelling_full
                    && agent.to_lowercase().contains("didn't catch") =>
            {
                Reply::Say(self.sheet.lines.spelling.clone())
            }
            other => other,
        };
        if let Reply::Say(s) = &reply {
            self.turns += 1;
            self.last = s.clone();
        }
        reply
    }

    fn choose(&mut self, agent: &str) -> Reply {
        let a = agent.to_lowercase();
        let l = self.sheet.lines.clone();
        let say = Reply::Say;
        if a.contains("goodbye") {
            return Reply::Hangup;
        }
        if a.contains("read that back") {
            if let Some(pardon) = self.aside_at(Asked::ReadBack) {
                return say(pardon);
            }
            return say(self.judge_read_back(&a));
        }
        if a.contains("yes or a no") && a.contains("message") {
            return say(if self.last_verdict { l.yes } else { l.no });
        }
        if a.contains("still there") && !self.last.is_empty() {
            return say(self.last.clone());
        }
        if a.contains("word for each letter") {
            return say(self.sheet.spelling_words());
        }
        if a.contains("check the spelling") {
            let mine: String = self
                .sheet
                .name
                .chars()
                .filter(|c| c.is_alphabetic())
                .collect();
            return say(if letters_read_back(agent) == mine.to_uppercase() {
                l.yes
            } else {
                l.no
            });
        }
        if a.contains("spell your last name") {
            return self.answer(Asked::Spelling, l.spelling);
        }
        if a.contains("spell your name") {
            return self.answer(Asked::Spelling, l.spelling_full);
        }
        if a.contains("what day and time is your appointment") && !l.booked_when.is_empty() {
            return say(l.booked_when);
        }
        if a.contains("shall i cancel") {
            let right = matches!(self.goal(), Some(Goal::Cancel))
                && self.sheet.existing.as_ref().is_some_and(|e| {
                    slots_in(agent, self.tz, self.now)
                        .contains(&e.start.with_timezone(&self.tz).naive_local())
                });
            return say(if right { l.yes } else { l.no });
        }
        // "…Shall I go ahead?", and the question again after an unclear answer ("Sorry,
        // shall I book …?", "Sorry, shall I move your appointment to …?").
        if a.contains("shall i go ahead")
            || a.contains("shall i book")
            || a.contains("shall i move")
        {
            self.note_meeting_question();
            if let Some(pardon) = self.aside_at(Asked::Proposal) {
                return say(pardon);
            }
            return say(self.judge_proposal(agent));
        }
        if a.contains("i can offer") || a.contains("which one would you like") {
            self.note_meeting_question();
            let want = self.wish_local();
            let offered = slots_in(agent, self.tz, self.now);
            if want.is_some_and(|w| offered.contains(&w)) {
                return say(l.pick);
            }
            self.noes += 1;
            if self.noes > 3 {
                self.frustrated = true;
                return Reply::Hangup;
            }
            return say(l.when_again);
        }
        if a.contains("best number") && has_digits(&a) {
            // "Is 6 1 7 … the best number to reach you?"
            let shown = digits(&spoken_digits(&a));
            return say(match self.sheet.callback_digits() {
                Some(mine) if shown.ends_with(&mine) || mine.ends_with(&shown) => l.yes,
                _ => l.number_fix,
            });
        }
        if a.contains("is that right") && has_digits(&a) {
            let heard = digits(&spoken_digits(&a));
            let right = self
                .sheet
                .callback_digits()
                .is_some_and(|mine| heard == mine);
            return say(if right { l.yes } else { l.number_fix });
        }
        if a.contains("digit by digit") && !l.number_digits.is_empty() {
            return say(l.number_digits);
        }
        if a.contains("number") && (a.contains("what's") || a.contains("digit")) {
            return self.answer(Asked::Number, l.number);
        }
        if a.contains("your name") || a.contains("name once more") {
            return self.answer(Asked::Name, l.name);
        }
        if a.contains("like me to tell") || a.contains("message again") {
            return say(l.message);
        }
        if a.contains("meet with") && a.contains("about") {
            self.note_meeting_question();
            return self.answer(Asked::Purpose, l.purpose);
        }
        if a.contains("day and time")
            || a.contains("which day")
            || a.contains("another day")
            || a.contains("instead?")
        {
            self.note_meeting_question();
            self.asked_when += 1;
            return say(if self.asked_when == 1 {
                l.when
            } else {
                l.when_again
            });
        }
        if a.contains("anything else") {
            // The agent thinks the current goal is done: go on to the next, or leave.
            self.goal += 1;
            self.asked_when = 0;
            self.noes = 0;
            return say(match l.next_goals.get(self.goal - 1) {
                Some(next) if self.goal < self.sheet.goals.len() => next.clone(),
                _ => l.bye,
            });
        }
        if a.contains("leave a message, or") {
            return say(match self.goal() {
                Some(Goal::Person | Goal::Urgent) => l.want_person,
                _ => l.want_message,
            });
        }
        if a.contains("would you like that") || a.contains("leave a message instead") {
            return say(match self.goal() {
                Some(Goal::Message | Goal::Urgent | Goal::Person) => l.yes,
                _ => l.decline,
            });
        }
        if a.contains("how can i help") && !self.opened {
            self.opened = true;
            return say(l.opening);
        }
        self.opened = true;
        // "What would you like?", "I didn't quite get that", or anything unforeseen: say plainly
        // what they want.
        say(self.restatement())
    }

    /// `answer` to the question `at`, unless the caller's aside belongs there and is not said yet.
    fn answer(&mut self, at: Asked, answer: String) -> Reply {
        Reply::Say(self.aside_at(at).unwrap_or(answer))
    }

    /// The caller's aside, if it belongs where `at` is asked and is not said yet (it is then
    /// said).
    fn aside_at(&mut self, at: Asked) -> Option<String> {
        match &self.sheet.lines.aside {
            Some(aside) if aside.at == at && !self.aside_said => {
                self.aside_said = true;
                Some(aside.say.clone())
            }
            _ => None,
        }
    }

    /// The current goal said plainly, or goodbye when all are done.
    fn restatement(&self) -> String {
        let l = &self.sheet.lines;
        l.restate
            .get(self.goal)
            .cloned()
            .unwrap_or_else(|| l.bye.clone())
    }

    /// The wished start in the persona's zone.
    fn wish_local(&self) -> Option<NaiveDateTime> {
        self.sheet
            .wish
            .as_ref()
            .map(|w| w.start.with_timezone(&self.tz).naive_local())
    }

    fn judge_proposal(&mut self, agent: &str) -> String {
        let l = &self.sheet.lines;
        if let Some(change) = l.change_mind.clone().filter(|_| !self.changed_mind) {
            self.changed_mind = true;
            return change;
        }
        let offered = slots_in(agent, self.tz, self.now);
        let right = self.wish_local().is_some_and(|w| offered.contains(&w));
        if right {
            return l.yes.clone();
        }
        self.noes += 1;
        if self.noes > 2 {
            l.give_up.clone()
        } else {
            l.when_again.clone()
        }
    }

    fn judge_read_back(&mut self, a: &str) -> String {
        let l = self.sheet.lines.clone();
        let (head, message) = a.split_once("your message").unwrap_or((a, ""));
        let name_ok = name_matches(&self.sheet.name, head);
        let number_ok = match self.sheet.callback_digits() {
            Some(mine) => digits(&spoken_digits(head)).ends_with(&mine),
            None => true,
        };
        let message_ok = missing_keywords(&self.sheet.content_keywords, message).is_empty();
        self.last_verdict = name_ok && number_ok && message_ok;
        if self.last_verdict {
            return l.yes;
        }
        self.noes += 1;
        if self.noes > 2 {
            self.last_verdict = true;
            return l.give_up;
        }
        if !name_ok {
            l.name_fix
        } else if !number_ok {
            l.number_fix
        } else {
            l.no
        }
    }
}

/// The letters the agent read back ("Let me check the spelling: N, G, O, Z, I, then A, D, E,
/// Y, E, M, I. Is that right?"), in capitals.
fn letters_read_back(agent: &str) -> String {
    let spelled = agent.split_once(':').map_or("", |(_, rest)| rest);
    let spelled = spelled.split('?').next().unwrap_or_default();
    spelled
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().count() == 1)
        .collect::<String>()
        .to_uppercase()
}

fn has_digits(s: &str) -> bool {
    s.chars().filter(char::is_ascii_digit).count() >= 7 || digits(&spoken_digits(s)).len() >= 7
}

/// Digits in `text`, with spoken digit words ("six one seven", "oh") turned into numerals.
fn spoken_digits(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .map(|w| match w {
            "zero" | "oh" | "o" => "0",
            "one" => "1",
            "two" => "2",
            "three" => "3",
            "four" => "4",
            "five" => "5",
            "six" => "6",
            "seven" => "7",
            "eight" => "8",
            "nine" => "9",
            other => other,
        })
        .filter(|w| w.chars().all(|c| c.is_ascii_digit()))
        .collect()
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The slots an agent's words name, as local times in `tz`: "Tuesday, March 10th at 2:30 PM",
/// "… at 2 PM or 3 PM" (a time alone takes the day before it), "noon". The year is the one that
/// puts the date nearest after `now`.
pub fn slots_in(text: &str, tz: Tz, now: DateTime<Utc>) -> Vec<NaiveDateTime> {
    let today = now.with_timezone(&tz).date_naive();
    let lower = text
        .to_lowercase()
        .replace("p.m.", "pm")
        .replace("a.m.", "am");
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == ',' || c == '.' || c == '?')
        .filter(|w| !w.is_empty())
        .collect();
    let mut day: Option<NaiveDate> = None;
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        if let Some(m) = MONTHS.iter().position(|m| *m == w) {
            if let Some(d) = words.get(i + 1).and_then(|d| ordinal(d)) {
                let mut year = today.year();
                if let Some(y) = words.get(i + 2).and_then(|y| y.parse::<i32>().ok()) {
                    if y > 2000 {
                        year = y;
                    }
                }
                day = NaiveDate::from_ymd_opt(year, m as u32 + 1, d).map(|date| {
                    if date < today && words.get(i + 2).is_none_or(|y| y.parse::<i32>().is_err()) {
                        NaiveDate::from_ymd_opt(year + 1, m as u32 + 1, d).unwrap_or(date)
                    } else {
                        date
                    }
                });
                i += 2;
                continue;
            }
        }
        let time = if w == "noon" {
            NaiveTime::from_hms_opt(12, 0, 0)
        } else {
            let meridiem = words.get(i + 1).copied();
            clock(w, meridiem)
        };
        if let (Some(t), Some(d)) = (time, day) {
            out.push(d.and_time(t));
        }
        i += 1;
    }
    out
}

fn ordinal(w: &str) -> Option<u32> {
    let n: String = w.chars().take_while(char::is_ascii_digit).collect();
    let rest = &w[n.len()..];
    (!n.is_empty() && ["st", "nd", "rd", "th", ""].contains(&rest))
        .then(|| n.parse().ok())
        .flatten()
        .filter(|d| (1..=31).contains(d))
}

/// "2:30" + "pm", "2pm", "9" + "am".
fn clock(w: &str, next: Option<&str>) -> Option<NaiveTime> {
    let (body, meridiem) = if let Some(b) = w.strip_suffix("pm") {
        (b, Some(true))
    } else if let Some(b) = w.strip_suffix("am") {
        (b, Some(false))
    } else {
        match next {
            Some("pm") => (w, Some(true)),
            Some("am") => (w, Some(false)),
            _ => (w, None),
        }
    };
    let pm = meridiem?;
    let (h, m) = match body.split_once(':') {
        Some((h, m)) => (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?),
        None => (body.parse::<u32>().ok()?, 0),
    };
    if !(1..=12).contains(&h) || m > 59 {
        return None;
    }
    let h24 = match (h, pm) {
        (12, false) => 0,
        (12, true) => 12,
        (h, true) => h + 12,
        (h, false) => h,
    };
    NaiveTime::from_hms_opt(h24, m, 0)
}
