//! Table-driven conversations: each step is an event and a fragment the agent must say.

use super::*;
use crate::persona::default_persona;

/// Tuesday 2026-11-24, 19:30 in Boston: after hours.
fn evening() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-24T19:30:00-05:00")
        .unwrap()
        .with_timezone(&Utc)
}

fn said(actions: &[Action]) -> String {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Say { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Plays `steps` (caller line, fragment the agent's reply must contain) after a call from
/// `caller_id`; returns the dialog and every action.
fn check(caller_id: Option<&str>, steps: &[(&str, &str)]) -> (Dialog, Vec<Action>) {
    let mut d = Dialog::new(Arc::new(default_persona()));
    let mut all = d.handle(
        Event::CallStarted {
            caller_number: caller_id.map(str::to_string),
        },
        evening(),
    );
    assert!(
        said(&all).contains("after-hours assistant"),
        "{}",
        said(&all)
    );
    for (line, want) in steps {
        let event = match *line {
            "<silence>" => Event::Silence,
            "<hangup>" => Event::Hangup,
            l if l.starts_with("<dtmf ") => Event::Digit(l.chars().nth(6).unwrap()),
            l => Event::Heard(l.to_string()),
        };
        let acts = d.handle(event, evening());
        let reply = said(&acts);
        assert!(
            reply.to_lowercase().contains(&want.to_lowercase()),
            "after {line:?} wanted {want:?} in {reply:?}"
        );
        all.extend(acts);
    }
    (d, all)
}

fn outcome(actions: &[Action]) -> Option<Outcome> {
    actions.iter().rev().find_map(|a| match a {
        Action::SetOutcome(o) => Some(*o),
        _ => None,
    })
}

#[test]
fn greets_by_time_of_day_and_hours() {
    let mut d = Dialog::new(Arc::new(default_persona()));
    let acts = d.handle(
        Event::CallStarted {
            caller_number: None,
        },
        evening(),
    );
    assert!(said(&acts).starts_with(
        "Good evening, you've reached Alex Morgan's after-hours assistant at Northwind Labs."
    ));
    let mut d = Dialog::new(Arc::new(default_persona()));
    let morning = DateTime::parse_from_rfc3339("2026-11-24T10:00:00-05:00")
        .unwrap()
        .with_timezone(&Utc);
    let acts = d.handle(
        Event::CallStarted {
            caller_number: None,
        },
        morning,
    );
    assert!(
        said(&acts).starts_with("Good morning, you've reached Alex Morgan's assistant"),
        "{}",
        said(&acts)
    );
}

#[test]
fn takes_a_message_with_caller_id() {
    let (d, acts) = check(
        Some("+16175550123"),
        &[
            ("Hi, I'd like to leave a message for Alex.", "may I have your name"),
            ("Jordan Lee from Acme Corp.", "Is 6 1 7, 5 5 5, 0 1 2 3 the best number"),
            ("Yes, that's right.", "what would you like me to tell Alex"),
            ("Please call me back about the budget review tomorrow.", "Let me read that back. Jordan Lee, at 6 1 7, 5 5 5, 0 1 2 3. Your message: Please call me back about the budget review tomorrow. Is that right?"),
            ("Yes.", "Alex gets your message"),
        ],
    );
    assert_eq!(outcome(&acts), Some(Outcome::Message));
    assert_eq!(acts.last(), Some(&Action::Hangup));
    let c = d.caller();
    assert_eq!(c.name.as_deref(), Some("Jordan Lee"));
    assert_eq!(c.company.as_deref(), Some("Acme Corp"));
    assert_eq!(c.callback_number.as_deref(), Some("+16175550123"));
    assert_eq!(
        c.purpose.as_deref(),
        Some("Hi, I'd like to leave a message for Alex.")
    );
    assert!(d.is_done());
}

#[test]
fn a_caller_who_introduces_themselves_skips_the_name_question() {
    let (d, _) = check(
        None,
        &[
            (
                "This is Priya Patel, calling about the board deck.",
                "What's the best number to reach you",
            ),
            (
                "six one seven, five five five, zero one nine nine",
                "what would you like me to tell Alex",
            ),
        ],
    );
    assert_eq!(d.caller().callback_number.as_deref(), Some("+16175550199"));
    assert_eq!(d.caller().name.as_deref(), Some("Priya Patel"));
}

#[test]
fn a_different_callback_number_replaces_caller_id() {
    let (d, _) = check(
        Some("+16175550123"),
        &[
            ("Message for Alex please.", "your name"),
            ("Sam Rivera.", "the best number"),
            ("No, use 617 555 0188.", "what would you like me to tell"),
        ],
    );
    assert_eq!(d.caller().callback_number.as_deref(), Some("+16175550188"));
}

#[test]
fn saying_no_to_caller_id_asks_for_the_number() {
    let (d, _) = check(
        Some("+16175550123"),
        &[
            ("Message please.", "your name"),
            ("Sam.", "the best number"),
            ("No.", "What's the best number"),
            ("617 555 0177", "tell Alex"),
        ],
    );
    assert_eq!(d.caller().callback_number.as_deref(), Some("+16175550177"));
}

#[test]
fn a_wrong_read_back_takes_the_message_again() {
    let (d, acts) = check(
        Some("+16175550123"),
        &[
            ("Hello.", "your name"),
            ("My name is Dana Kim.", "best number"),
            ("Yep.", "tell Alex"),
            ("The shipment is late.", "Is that right?"),
            ("No, that's wrong.", "tell me the message again"),
            (
                "The shipment from Portland is late.",
                "The shipment from Portland is late",
            ),
            ("<dtmf 1>", "Goodbye"),
        ],
    );
    assert_eq!(outcome(&acts), Some(Outcome::Message));
    assert_eq!(
        d.caller().message.as_deref(),
        Some("The shipment from Portland is late.")
    );
}

#[test]
fn keypad_answers_yes_and_no() {
    let (d, _) = check(
        Some("+16175550123"),
        &[
            ("Hi.", "your name"),
            ("Lee.", "best number"),
            ("<dtmf 2>", "What's the best number"),
        ],
    );
    assert_eq!(d.caller().callback_number, None);
}

#[test]
fn an_unclear_name_is_asked_again_then_skipped() {
    let (d, _) = check(
        None,
        &[
            ("Hi.", "your name"),
            ("I'm not sure I want to say.", "didn't catch your name"),
            ("I'd rather not.", "What's the best number"),
        ],
    );
    assert_eq!(d.caller().name, None);
}

#[test]
fn an_unclear_number_is_asked_digit_by_digit() {
    check(
        None,
        &[
            ("Hi.", "your name"),
            ("Chris.", "What's the best number"),
            ("Call me on my cell.", "digit by digit"),
        ],
    );
}

#[test]
fn silence_prompts_then_ends_the_call() {
    let (_, acts) = check(
        None,
        &[
            ("<silence>", "Are you still there? Good evening"),
            ("<silence>", "Goodbye"),
        ],
    );
    assert_eq!(outcome(&acts), Some(Outcome::Abandoned));
    assert_eq!(acts.last(), Some(&Action::Hangup));
}

#[test]
fn speaking_resets_the_silence_count() {
    let (d, _) = check(
        None,
        &[
            ("<silence>", "still there"),
            ("Hi, it's Robin.", "best number"),
            ("<silence>", "still there"),
        ],
    );
    assert!(!d.is_done());
}

#[test]
fn hanging_up_early_is_abandoned_but_a_message_counts() {
    let (_, acts) = check(None, &[("Hi.", "your name"), ("<hangup>", "")]);
    assert_eq!(outcome(&acts), Some(Outcome::Abandoned));
    let (_, acts) = check(
        Some("+16175550123"),
        &[
            ("Hi.", "name"),
            ("Jo.", "number"),
            ("Yes.", "tell"),
            ("Call me.", "right?"),
            ("<hangup>", ""),
        ],
    );
    assert_eq!(outcome(&acts), Some(Outcome::Message));
}

#[test]
fn an_unclear_confirmation_is_asked_once_more() {
    check(
        Some("+16175550123"),
        &[
            ("Hi.", "name"),
            ("Jo.", "number"),
            ("Yes.", "tell"),
            ("Call me.", "right?"),
            ("Hmm.", "yes or a no"),
            ("Yes.", "Goodbye"),
        ],
    );
}

#[test]
fn nothing_happens_after_goodbye() {
    let (mut d, _) = check(None, &[("<silence>", "still"), ("<silence>", "Goodbye")]);
    assert!(d.handle(Event::Heard("Wait!".into()), evening()).is_empty());
}

#[test]
fn the_expected_answer_guides_endpointing() {
    let mut d = Dialog::new(Arc::new(default_persona()));
    d.handle(
        Event::CallStarted {
            caller_number: None,
        },
        evening(),
    );
    d.handle(Event::Heard("Hi.".into()), evening());
    let acts = d.handle(Event::Heard("Jo.".into()), evening());
    assert!(acts.iter().any(|a| matches!(
        a,
        Action::Say {
            expect: Expect::Digits,
            ..
        }
    )));
}

#[test]
fn a_withheld_caller_id_is_not_offered_back() {
    let (d, _) = check(
        Some("anonymous"),
        &[
            ("Hi.", "your name"),
            ("Yeah, Jordan.", "What's the best number"),
        ],
    );
    assert_eq!(d.caller().name.as_deref(), Some("Jordan"));
}

#[test]
fn callers_get_time_to_compose_a_message() {
    let mut d = Dialog::new(Arc::new(default_persona()));
    d.handle(
        Event::CallStarted {
            caller_number: Some("+16175550123".into()),
        },
        evening(),
    );
    d.handle(Event::Heard("Hi, this is Jo.".into()), evening());
    let acts = d.handle(Event::Heard("Yes.".into()), evening());
    assert!(
        acts.iter().any(|a| matches!(
            a,
            Action::Say {
                expect: Expect::Message,
                ..
            }
        )),
        "{acts:?}"
    );
}
