//! The generated caller corpus at the text level (no audio): per-class pass rates must not fall
//! below today's floors, and the checker and the reactive caller behave as specified.
//!
//! `cargo test --test callers -- --nocapture` prints the table and every failing transcript.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use frontdesk::logic::dialog::{names, CallerInfo, Meeting, Outcome};
use frontdesk::persona::Persona;
use frontdesk::sim::corpus::{
    self, check, corpus_now, generate, Aside, Asked, Callback, Caller, Class, Expected,
    ExpectedAppointment, FactSheet, Failure, Goal, Heard, Observed, Phrasebook, Reply, SpokenRig,
    Wish, CORPUS_SEED,
};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn persona() -> Arc<Persona> {
    Arc::new(Persona::load(&root().join("prompts/persona.toml")).expect("persona loads"))
}

fn corpus_of(p: &Persona) -> Vec<FactSheet> {
    generate(p, corpus_now(), CORPUS_SEED, 180)
}

/// The dialog alone, per class: pass rates (percent) the corpus as typed (no whisper) must keep,
/// as measured on 2026-12-02 (BENCHMARKS.md, "Callers"). Raise them as the dialog improves.
const FLOORS: &[(Class, f64)] = &[
    (Class::Message, 100.0),
    (Class::Book, 97.0),
    (Class::FreeThenBook, 100.0),
    (Class::Move, 100.0),
    (Class::Cancel, 100.0),
    (Class::Faq, 96.0),
    (Class::FaqThenMore, 95.0),
    (Class::Person, 100.0),
    (Class::Urgent, 100.0),
    (Class::Vip, 100.0),
    (Class::KnownContact, 100.0),
    (Class::Volunteered, 99.0),
    (Class::CallerIdNumber, 100.0),
    (Class::NoCallerId, 100.0),
    (Class::SharedName, 96.0),
    (Class::SpelledName, 100.0),
    (Class::ForeignZone, 100.0),
    (Class::CorrectedTime, 100.0),
    (Class::CorrectedNumber, 100.0),
    (Class::ChangedMind, 100.0),
    (Class::Noisy, 98.0),
];

/// The whole corpus as typed (percent).
const OVERALL_FLOOR: f64 = 99.0;

/// The whole corpus as whisper hears it (percent): every utterance of
/// `tests/data/callers/heard.jsonl` put through the caller's voice, the line and whisper
/// (`examples/hear_callers.rs`), measured on 2026-12-06 (57.2%, 103 of 180), 59.4% (107) on
/// 2026-12-07 when letters whisper writes as words were read and a line number's lost leading
/// zero put back, 63.3% (114) when names a careful listener recovers from whisper's words
/// were recovered; after the resampler fix re-rendered it whole, 76.7% (138) on 2026-12-07,
/// then 85.0% (153) once spellings with a word for each letter were read as whisper writes
/// them and the office's place names kept, 87.8% (158) on 2026-12-07 (session 21) once FAQ
/// words cut in another place, a place heard with its first sound wrong, an alarm word inside
/// a meeting's topic and an appointment found by its day were read; 89.4% (161) in session 22
/// once a name spelled in part took the rest from a later hearing and a spelled word whisper
/// parted with a full stop was joined. The bar is 95.
const HEARD_FLOOR: f64 = 89.0;

/// Seeds the dialog was not tuned on, and the overall floor each must keep (percent), typed.
const HELD_OUT: &[(u64, f64)] = &[(CORPUS_SEED + 1, 97.0), (7, 98.0), (2026, 99.0)];

/// The held-out phrasebook (`corpus::heldout`: the generator's kinds of facts said in wording
/// written apart from its templates), typed, and its overall floor (percent): 64% (51/80) when
/// it was written on 2026-12-06, 99% (79/80) after the dialog learnt the classes it showed.
const HELDOUT_FLOOR: f64 = 98.0;

#[test]
fn the_heldout_phrasebook_holds_its_floor() {
    let p = persona();
    let calls = corpus::heldout(
        &p,
        corpus_now(),
        corpus::HELDOUT_SEED,
        corpus::HELDOUT_CALLS,
    );
    assert!(calls.len() >= 60, "at least 60 held-out calls");
    let report = corpus::run(&p, &calls, &Heard::none(), corpus_now());
    println!("{}", report.table());
    let overall = 100.0 * report.overall().rate();
    assert!(
        overall + 1e-9 >= HELDOUT_FLOOR,
        "held-out phrasebook: {overall:.1}% < {HELDOUT_FLOOR:.0}%\n{}",
        report.failing_transcripts()
    );
    // Another draw of the same phrasebook: printed, not held (the floor above is its measure).
    let other = corpus::heldout(
        &p,
        corpus_now(),
        corpus::HELDOUT_SEED + 1,
        corpus::HELDOUT_CALLS,
    );
    let other = corpus::run(&p, &other, &Heard::none(), corpus_now());
    println!(
        "held-out phrasebook, seed + 1: {:.0}%",
        100.0 * other.overall().rate()
    );
    if std::env::var_os("CALLERS_FAILURES").is_some() {
        println!("{}", other.failing_transcripts());
    }
}

/// Every later held-out phrasebook, typed, and the calls of its 80 each must keep passing:
/// blind they passed 72 to 58 of 80; the dialog has since learnt the classes they showed.
const HELDOUT_TYPED_FLOORS: &[(Phrasebook, usize)] = &[
    (Phrasebook::Heldout2, 79),
    (Phrasebook::Heldout3, 79),
    (Phrasebook::Heldout4, 79),
    (Phrasebook::Heldout5, 79),
    (Phrasebook::Heldout6, 79),
    (Phrasebook::Heldout7, 78),
    (Phrasebook::Heldout8, 79),
    (Phrasebook::Heldout9, 78),
];

#[test]
fn the_later_heldout_phrasebooks_typed_hold_their_floors() {
    let p = persona();
    let mut low = Vec::new();
    for &(book, floor) in HELDOUT_TYPED_FLOORS {
        let calls = book.sheets(&p, corpus_now());
        let report = corpus::run(&p, &calls, &Heard::none(), corpus_now());
        let passed = report.overall().passed;
        println!("{}: {passed} of {} typed", book.describe(), calls.len());
        if passed < floor {
            low.push(format!(
                "{}: {passed} < {floor}\n{}",
                book.describe(),
                report.failing_transcripts()
            ));
        }
    }
    assert!(low.is_empty(), "below the floor: {low:#?}");
}

/// No held-out line is one of the generator's: the phrasebooks share no opening.
#[test]
fn the_heldout_phrasebook_shares_no_opening_with_the_corpus() {
    let p = persona();
    let corpus: std::collections::HashSet<String> = corpus_of(&p)
        .iter()
        .map(|s| s.lines.opening.clone())
        .collect();
    let held = corpus::heldout(
        &p,
        corpus_now(),
        corpus::HELDOUT_SEED,
        corpus::HELDOUT_CALLS,
    );
    for s in &held {
        assert!(
            !corpus.contains(&s.lines.opening),
            "{}: {}",
            s.id,
            s.lines.opening
        );
    }
}

/// No call of `new` opens the way any of `others` does, and every caller of `new` says only
/// lines its fact sheet enumerates.
fn opens_apart_and_says_only_its_lines(p: &Arc<Persona>, others: &[FactSheet], new: &[FactSheet]) {
    let openings: std::collections::HashSet<&String> =
        others.iter().map(|s| &s.lines.opening).collect();
    for s in new {
        assert!(
            !openings.contains(&s.lines.opening),
            "{}: {}",
            s.id,
            s.lines.opening
        );
    }
    let report = corpus::run(p, new, &Heard::none(), corpus_now());
    for (call, sheet) in report.calls.iter().zip(new) {
        let known = sheet.utterances();
        for (who, text) in &call.transcript.lines {
            if who == "caller" && text != "<hangup>" {
                assert!(
                    known.contains(text),
                    "{}: {text:?} not in utterances()",
                    sheet.id
                );
            }
        }
    }
}

/// The `k`th held-out phrasebook's calls (1 is `corpus::heldout`), each with its own seed and
/// as many calls as it declares.
fn heldout_phrasebook(p: &Persona, k: usize) -> Vec<FactSheet> {
    let now = corpus_now();
    let calls = match k {
        1 => corpus::heldout(p, now, corpus::HELDOUT_SEED, corpus::HELDOUT_CALLS),
        2 => corpus::heldout2(p, now, corpus::HELDOUT2_SEED, corpus::HELDOUT2_CALLS),
        3 => corpus::heldout3(p, now, corpus::HELDOUT3_SEED, corpus::HELDOUT3_CALLS),
        4 => corpus::heldout4(p, now, corpus::HELDOUT4_SEED, corpus::HELDOUT4_CALLS),
        5 => corpus::heldout5(p, now, corpus::HELDOUT5_SEED, corpus::HELDOUT5_CALLS),
        6 => corpus::heldout6(p, now, corpus::HELDOUT6_SEED, corpus::HELDOUT6_CALLS),
        7 => corpus::heldout7(p, now, corpus::HELDOUT7_SEED, corpus::HELDOUT7_CALLS),
        8 => corpus::heldout8(p, now, corpus::HELDOUT8_SEED, corpus::HELDOUT8_CALLS),
        9 => corpus::heldout9(p, now, corpus::HELDOUT9_SEED, corpus::HELDOUT9_CALLS),
        other => panic!("no held-out phrasebook {other}"),
    };
    assert!(calls.len() >= 80, "phrasebook {k}: at least 80 calls");
    calls
}

/// No line of the `k`th held-out phrasebook opens a call the way the generator or any earlier
/// held-out phrasebook does (their seeds' openings), and every caller says only lines it
/// enumerates.
fn opens_apart_from_the_earlier(k: usize) {
    let p = persona();
    let mut others = corpus_of(&p);
    for earlier in 1..k {
        others.extend(heldout_phrasebook(&p, earlier));
    }
    opens_apart_and_says_only_its_lines(&p, &others, &heldout_phrasebook(&p, k));
}

#[test]
fn the_second_heldout_phrasebook_shares_no_opening_with_the_others() {
    opens_apart_from_the_earlier(2);
}

#[test]
fn the_third_heldout_phrasebook_shares_no_opening_with_the_others() {
    opens_apart_from_the_earlier(3);
}

#[test]
fn the_fourth_heldout_phrasebook_shares_no_opening_with_the_others() {
    opens_apart_from_the_earlier(4);
}

#[test]
fn the_fifth_heldout_phrasebook_shares_no_opening_with_the_others() {
    opens_apart_from_the_earlier(5);
}

#[test]
fn the_sixth_heldout_phrasebook_shares_no_opening_with_the_others() {
    opens_apart_from_the_earlier(6);
}

#[test]
fn the_seventh_heldout_phrasebook_shares_no_opening_with_the_others() {
    opens_apart_from_the_earlier(7);
}

#[test]
fn the_eighth_heldout_phrasebook_shares_no_opening_with_the_others() {
    opens_apart_from_the_earlier(8);
}

#[test]
fn the_ninth_heldout_phrasebook_shares_no_opening_with_the_others() {
    opens_apart_from_the_earlier(9);
}

#[test]
fn corpus_pass_rates_hold_their_floors() {
    let p = persona();
    let report = corpus::run(&p, &corpus_of(&p), &Heard::none(), corpus_now());
    println!("{}", report.table());
    println!("first failed check: {:?}", report.failures());
    println!("{}", report.failing_transcripts());
    let rates = report.by_class();
    let mut low = Vec::new();
    for (class, floor) in FLOORS {
        let got = rates
            .iter()
            .find(|(c, _)| c == class)
            .map(|(_, r)| 100.0 * r.rate())
            .unwrap_or(0.0);
        if got + 1e-9 < *floor {
            low.push(format!("{class}: {got:.0}% < {floor:.0}%"));
        }
    }
    let overall = 100.0 * report.overall().rate();
    if overall + 1e-9 < OVERALL_FLOOR {
        low.push(format!("overall: {overall:.0}% < {OVERALL_FLOOR:.0}%"));
    }
    assert!(low.is_empty(), "below the floor: {low:?}");
}

#[test]
fn the_corpus_as_whisper_hears_it_holds_its_floor() {
    let p = persona();
    let heard = Heard::load(&root().join("tests/data/callers/heard.jsonl")).expect("heard cache");
    let report = corpus::run(&p, &corpus_of(&p), &heard, corpus_now());
    println!("{}", report.table());
    println!("first failed check: {:?}", report.failures());
    let overall = 100.0 * report.overall().rate();
    assert!(
        overall + 1e-9 >= HEARD_FLOOR,
        "heard: {overall:.1}% < {HEARD_FLOOR:.0}%\n{}",
        report.failing_transcripts()
    );
}

/// The held-out phrasebooks as whisper hears them: each phrasebook's calls whose every
/// utterance `tests/data/callers/heard_heldout.jsonl` (or `heard.jsonl`) holds, rendered by
/// `hear_callers --phrasebook NAME --every K`: (phrasebook, calls rendered, calls that must pass
/// as heard), measured on 2026-12-07 (BENCHMARKS.md, "The held-out phrasebooks as heard"):
/// heldout6 4 of 5 before a name said as it should be at the read-back was taken as the name;
/// heldout5 from 5 to 8 calls rendered the same evening (v020 fails on "the first 8am").
/// Fewer calls rendered (rows lost) fails as surely as fewer passing.
const HEARD_HELDOUT_FLOORS: &[(Phrasebook, usize, usize)] = &[
    (Phrasebook::Heldout, 5, 3),
    (Phrasebook::Heldout2, 5, 4),
    (Phrasebook::Heldout3, 5, 3),
    (Phrasebook::Heldout4, 5, 3),
    (Phrasebook::Heldout5, 9, 7),
    (Phrasebook::Heldout6, 5, 5),
    (Phrasebook::Heldout7, 5, 4),
    (Phrasebook::Heldout8, 5, 2),
    (Phrasebook::Heldout9, 5, 3),
];

#[test]
fn the_heldout_phrasebooks_as_whisper_hears_them_hold_their_floors() {
    let p = persona();
    let data = root().join("tests/data/callers");
    let heard = Heard::load_all(&[&data.join("heard.jsonl"), &data.join("heard_heldout.jsonl")])
        .expect("heard caches");
    let mut low = Vec::new();
    for &(book, rendered_floor, passed_floor) in HEARD_HELDOUT_FLOORS {
        let calls: Vec<FactSheet> = book
            .sheets(&p, corpus_now())
            .into_iter()
            .filter(|s| heard.renders(s))
            .collect();
        let report = corpus::run(&p, &calls, &heard, corpus_now());
        let passed = report.overall().passed;
        println!(
            "{}: {passed} of {} rendered calls pass as heard",
            book.describe(),
            calls.len()
        );
        if calls.len() < rendered_floor || passed < passed_floor {
            low.push(format!(
                "{}: {passed} of {} rendered calls pass as heard (floor {passed_floor} of \
                 {rendered_floor})\n{}",
                book.describe(),
                calls.len(),
                report.failing_transcripts()
            ));
        }
    }
    assert!(low.is_empty(), "{}", low.join("\n"));
}

/// Names as whisper hears them, callers of every origin: of the heard introduction alone
/// (`names::extract_name`), and after the caller spells their name when asked
/// (`names::respelled` of the heard spelling), how many callers the executive would know by
/// the name written (`corpus::name_matches`). Measured on 2026-12-03; 97 after spelling on
/// 2026-12-07 (87 before "then", "or", "they are" and "A-Life" were read in spellings; 106
/// once clean spellings, whisper's letter groups and the word heard twice were weighed). Those
/// were measured on audio that had lost the end of each utterance at four of five speaking
/// rates (the resampler bug fixed in `audio::resample`); rendered again whole, 95 after
/// spelling (2026-12-07, 44 as said); 96 after spelling once whisper's full stop inside one
/// word's letters was read (session 22).
const HEARD_NAME_FLOORS: (usize, usize) = (44, 96);

/// Names right from the spelling with a word for each letter alone (`FactSheet::spelling_words`,
/// "N as in Nancy, …", as whisper heard it), out of 180: 112 on 2026-12-07, 153 once a word
/// near a spelling word, "as in" run into it and the letter said before it were read, 154 once
/// "for" run into the letter before it was (session 21).
const HEARD_WORDS_SPELLING_FLOOR: usize = 154;

#[test]
fn names_as_whisper_hears_them_hold_their_floors() {
    let p = persona();
    let heard = Heard::load(&root().join("tests/data/callers/heard.jsonl")).expect("heard cache");
    let (mut said, mut spelled, mut by_words) = (0, 0, 0);
    let mut wrong = Vec::new();
    for s in corpus_of(&p) {
        let words = heard.hear(&s, &s.spelling_words());
        let from_words = names::respelled_with_words("", &words).unwrap_or_default();
        if corpus::name_matches(&s.name, &from_words) {
            by_words += 1;
        } else {
            wrong.push(format!(
                "{} {:?} with words: {words:?} -> {from_words:?}",
                s.id, s.name
            ));
        }
        let intro = heard.hear(&s, &s.lines.name);
        let name = names::extract_name(&intro)
            .map(|f| f.name)
            .unwrap_or_default();
        let spelling = heard.hear(&s, &s.lines.spelling_full);
        let respelled = names::respelled(&name, &spelling).unwrap_or_else(|| name.clone());
        said += usize::from(corpus::name_matches(&s.name, &name));
        if corpus::name_matches(&s.name, &respelled) {
            spelled += 1;
        } else {
            wrong.push(format!(
                "{} {:?}: {intro:?}, {spelling:?} -> {respelled:?}",
                s.id, s.name
            ));
        }
    }
    println!(
        "names right: {said}/180 as said, {spelled}/180 after spelling, {by_words}/180 from a \
         word for each letter"
    );
    if std::env::var_os("CALLERS_FAILURES").is_some() {
        println!("{}", wrong.join("\n"));
    }
    let (said_floor, spelled_floor) = HEARD_NAME_FLOORS;
    assert!(
        said >= said_floor && spelled >= spelled_floor && by_words >= HEARD_WORDS_SPELLING_FLOOR,
        "names right: {said} as said (floor {said_floor}), {spelled} after spelling (floor \
         {spelled_floor}), {by_words} from words (floor {HEARD_WORDS_SPELLING_FLOOR})\n{}",
        wrong.join("\n")
    );
}

#[test]
fn held_out_corpora_hold_their_floors() {
    let p = persona();
    for (seed, floor) in HELD_OUT {
        let corpus = generate(&p, corpus_now(), *seed, 180);
        let report = corpus::run(&p, &corpus, &Heard::none(), corpus_now());
        let got = 100.0 * report.overall().rate();
        println!("seed {seed}: {got:.0}% overall");
        if std::env::var_os("CALLERS_FAILURES").is_some() {
            println!("{}", report.failing_transcripts());
        }
        assert!(
            got + 1e-9 >= *floor,
            "seed {seed}: {got:.0}% < {floor:.0}%\n{}\n{}",
            report.table(),
            report.failing_transcripts()
        );
    }
}

// ----- the corpus ---------------------------------------------------------------------------

#[test]
fn the_corpus_is_deterministic_and_spans_every_class() {
    let p = persona();
    let a = corpus_of(&p);
    assert!(a.len() >= 150);
    assert_eq!(a, corpus_of(&p), "same seed, same corpus");
    assert_ne!(a, generate(&p, corpus_now(), CORPUS_SEED + 1, 180));
    for class in Class::ALL {
        let n = a.iter().filter(|s| s.classes.contains(&class)).count();
        assert!(n >= 5, "{class}: only {n} calls");
    }
}

#[test]
fn listed_callers_are_listed_and_new_ones_are_not() {
    let p = persona();
    for s in corpus_of(&p) {
        let listed = p
            .screening
            .by_name(&s.name)
            .and_then(|(_, who)| who.cloned());
        let is_listed = s.classes.contains(&Class::KnownContact) || s.classes.contains(&Class::Vip);
        assert_eq!(listed.is_some(), is_listed, "{}: {}", s.id, s.name);
    }
}

#[test]
fn every_caller_line_is_enumerated_in_advance() {
    let p = persona();
    let corpus = corpus_of(&p);
    let report = corpus::run(&p, &corpus, &Heard::none(), corpus_now());
    for (call, sheet) in report.calls.iter().zip(&corpus) {
        let known = sheet.utterances();
        for (who, text) in &call.transcript.lines {
            if who == "caller" && text != "<hangup>" {
                assert!(
                    known.contains(text),
                    "{}: {text:?} not in utterances()",
                    sheet.id
                );
            }
        }
    }
}

// ----- the checker --------------------------------------------------------------------------

fn message_expected() -> Expected {
    Expected {
        outcome: Outcome::Message,
        appointment: None,
        faq: vec![],
        name: Some("Siobhan Gallagher".into()),
        number: Some("6175550123".into()),
        message_keywords: vec!["lease".into(), "pier".into()],
        purpose_keywords: vec![],
    }
}

fn message_observed(message: &str) -> Observed {
    Observed {
        outcome: Some(Outcome::Message),
        caller: CallerInfo {
            name: Some("siobhan galagher".into()),
            callback_number: Some("+16175550123".into()),
            message: Some(message.into()),
            ..CallerInfo::default()
        },
        ..Observed::default()
    }
}

#[test]
fn the_checker_takes_a_right_message_with_a_misspelled_name() {
    let got = message_observed("Tell Alex the signed lease for the Pier Road office is ready.");
    assert_eq!(check(&message_expected(), &got), Ok(()));
}

#[test]
fn the_checker_takes_a_name_written_as_it_sounds_and_refuses_another_name() {
    for (want, got, ok) in [
        ("Omar Haddad", "Omar Hadid", true),
        ("Omar Haddad", "Omar Haddett", true),
        ("Taylor Mensah", "Taylor Mensa", true),
        ("Siobhan Murphy", "Siobhan Murphy", true),
        ("Deepa Krishnan", "Deepa Karshan", false),
        ("Deepa Krishnan", "Deep A Christian", false),
        ("Jamie Otieno", "Jamie Oceano", false),
        ("Chinedu Okonkwo", "Chengdu", false),
        ("Ngozi Adeyemi", "Engosia", false),
        ("Omar Haddad", "Omar", false),
        ("Jordan Kim", "Jordan King", false),
        ("Alex Chen", "Alex Chan", false),
        ("Ji-woo Park", "Jiwoo Park", true),
        ("Niamh O'Sullivan", "Niamh Osullivan", true),
    ] {
        assert_eq!(
            frontdesk::sim::corpus::name_matches(want, got),
            ok,
            "{want} / {got}"
        );
    }
}

#[test]
fn the_checker_refuses_closing_words_or_a_bare_number_as_the_message() {
    for message in ["Thanks, that's all, bye.", "617-555-0123", ""] {
        let got = check(&message_expected(), &message_observed(message));
        assert!(
            matches!(got, Err(Failure::Message { .. })),
            "{message:?}: {got:?}"
        );
    }
}

#[test]
fn the_checker_wants_the_name_the_digits_and_the_outcome() {
    let e = message_expected();
    let mut got = message_observed("the lease for Pier Road is ready");
    got.caller.name = Some(String::new());
    assert!(matches!(check(&e, &got), Err(Failure::Name { .. })));
    got.caller.name = Some("Alex Morgan".into());
    assert!(matches!(check(&e, &got), Err(Failure::Name { .. })));
    got.caller.name = Some("Siobhan Gallagher".into());
    got.caller.callback_number = Some("617 555 0132".into());
    assert!(matches!(check(&e, &got), Err(Failure::Number { .. })));
    got.caller.callback_number = Some("(617) 555-0123".into());
    assert_eq!(check(&e, &got), Ok(()));
    got.outcome = Some(Outcome::Abandoned);
    assert!(matches!(check(&e, &got), Err(Failure::Outcome { .. })));
    got.outcome = Some(Outcome::Message);
    got.misrouted = true;
    assert_eq!(check(&e, &got), Err(Failure::Misrouted));
    got.stuck = true;
    assert_eq!(check(&e, &got), Err(Failure::Stuck));
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

#[test]
fn the_checker_wants_the_booking_at_the_right_instant_and_nothing_else() {
    let at = utc("2026-11-30T15:00:00Z");
    let e = Expected {
        outcome: Outcome::Booked,
        appointment: Some(ExpectedAppointment::Booked(at)),
        faq: vec![],
        name: Some("Linh Tran".into()),
        number: Some("6175550123".into()),
        message_keywords: vec![],
        purpose_keywords: vec!["budget".into()],
    };
    let meeting = |start, purpose: &str| Meeting {
        start,
        end: start + chrono::Duration::minutes(30),
        caller_name: Some("Linh Tran".into()),
        caller_number: Some("+16175550123".into()),
        purpose: Some(purpose.into()),
    };
    let mut got = Observed {
        outcome: Some(Outcome::Booked),
        booked: vec![meeting(at, "the quarterly budget review")],
        ..Observed::default()
    };
    assert_eq!(check(&e, &got), Ok(()));
    got.booked = vec![meeting(at + chrono::Duration::hours(5), "the budget")];
    assert!(matches!(check(&e, &got), Err(Failure::Appointment { .. })));
    got.booked = vec![meeting(at, "Yes, please.")];
    assert!(matches!(check(&e, &got), Err(Failure::Purpose { .. })));
    got.booked = vec![meeting(at, "budget"), meeting(at, "budget")];
    assert!(matches!(check(&e, &got), Err(Failure::Appointment { .. })));
}

// ----- the reactive caller ------------------------------------------------------------------

/// A booking caller from the corpus, now wishing for Monday November 30th, 3 PM London time
/// (10 AM in Boston).
fn london_caller() -> Caller {
    let p = persona();
    let mut sheet = corpus_of(&p)
        .into_iter()
        .find(|s| s.goals == [Goal::Book] && s.lines.change_mind.is_none())
        .expect("a booking caller");
    let london = chrono_tz::Europe::London;
    sheet.wish = Some(Wish {
        start: london
            .with_ymd_and_hms(2026, 11, 30, 15, 0, 0)
            .unwrap()
            .with_timezone(&Utc),
        spoken: "Monday at 3 PM London time".into(),
        zone: Some(london),
    });
    sheet.lines.pick = "The 10 AM one, please.".into();
    sheet.callback = Callback::Spoken("6175550123".into());
    Caller::new(sheet, p.timezone, corpus_now())
}

#[test]
fn a_london_caller_refuses_3_pm_boston_time_and_takes_10_am() {
    let mut c = london_caller();
    let yes = c.sheet().lines.yes.clone();
    let again = c.sheet().lines.when_again.clone();
    let wrong = "I can book you with Alex on Monday, November 30th at 3 PM. Shall I go ahead?";
    assert_eq!(c.reply(wrong), Reply::Say(again.clone()));
    let right = "I can book you with Alex on Monday, November 30th at 10 AM. Shall I go ahead?";
    assert_eq!(c.reply(right), Reply::Say(yes));
    let offer = "I can offer Monday, November 30th at 9:30 AM or 10 AM. Would one of those work?";
    assert_eq!(c.reply(offer), Reply::Say("The 10 AM one, please.".into()));
    let other = "I can offer Monday, November 30th at 3 PM or 3:30 PM. Would one of those work?";
    assert_eq!(c.reply(other), Reply::Say(again.clone()));
    // Asked again after an answer not understood, the caller answers the question again.
    for asked_again in [
        "Sorry, shall I book Monday, November 30th at 10 AM? Please say yes or no, or press 1 for yes and 2 for no.",
        "Sorry, shall I move your appointment to Monday, November 30th at 10 AM? Please say yes or no, or press 1 for yes and 2 for no.",
    ] {
        let Reply::Say(answer) = c.reply(asked_again) else {
            panic!("the caller hung up at {asked_again:?}");
        };
        assert!(
            [c.sheet().lines.yes.clone(), c.sheet().lines.yes_again.clone()].contains(&answer),
            "{asked_again:?} -> {answer:?}"
        );
    }
    let wrong_again = "Sorry, shall I move your appointment to Monday, November 30th at 3 PM? Please say yes or no, or press 1 for yes and 2 for no.";
    let mut fresh = london_caller();
    assert_eq!(fresh.reply(wrong_again), Reply::Say(again));
}

#[test]
fn the_caller_checks_a_number_digit_by_digit() {
    let mut c = london_caller();
    let fix = c.sheet().lines.number_fix.clone();
    let yes = c.sheet().lines.yes.clone();
    assert_eq!(
        c.reply("I have 6 1 7, 5 5 5, 0 1 3 2. Is that right?"),
        Reply::Say(fix)
    );
    assert_eq!(
        c.reply("I have 6 1 7, 5 5 5, 0 1 2 3. Is that right?"),
        Reply::Say(yes.clone())
    );
    assert_eq!(
        c.reply("I have six one seven, five five five, zero one two three. Is that right?"),
        Reply::Say(yes)
    );
}

#[test]
fn the_caller_checks_a_spelling_read_back_and_spells_with_words_when_asked() {
    let mut c = london_caller();
    let sheet = c.sheet().clone();
    let l = &sheet.lines;
    // The letters as the dialog reads them back.
    let right = frontdesk::logic::dialog::names::letters_read_back(&sheet.name);
    assert_eq!(
        c.reply(&format!(
            "Let me check the spelling: {right}. Is that right?"
        )),
        Reply::Say(l.yes.clone())
    );
    // One letter off is a no.
    let mut wrong = right.clone();
    wrong.pop();
    wrong.push('Q');
    assert_eq!(
        c.reply(&format!(
            "Let me check the spelling: {wrong}. Is that right?"
        )),
        Reply::Say(l.no.clone())
    );
    let words = sheet.spelling_words();
    assert_eq!(
        c.reply("Sorry about that. Could you spell it once more, with a word for each letter, like A as in apple?"),
        Reply::Say(words.clone())
    );
    // Every letter of the name, with a word starting with it, and the word said in advance.
    let initials: String = words
        .split([',', '.'])
        .filter_map(|piece| piece.split_whitespace().last())
        .filter_map(|w| w.chars().next())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    assert_eq!(initials, right.replace(", then ", "").replace(", ", ""));
    assert!(sheet.utterances().contains(&words));
}

#[test]
fn the_caller_refuses_a_read_back_with_the_wrong_message_or_name() {
    let mut c = london_caller();
    let sheet = c.sheet().clone();
    let l = &sheet.lines;
    let back = |name: &str, message: &str| {
        format!(
            "Let me read that back. {name}, at 6 1 7, 5 5 5, 0 1 2 3. Your message: {message}. Is that right?"
        )
    };
    assert_eq!(
        c.reply(&back(&sheet.name, "That's all, thanks")),
        Reply::Say(l.no.clone())
    );
    assert_eq!(
        c.reply(&back("No name given", &sheet.content)),
        Reply::Say(l.name_fix.clone())
    );
    assert_eq!(
        c.reply(&back(&sheet.name, &sheet.content)),
        Reply::Say(l.yes.clone())
    );
    assert_eq!(c.reply("Thank you. Goodbye."), Reply::Hangup);
}

#[test]
fn the_caller_answers_what_it_is_asked_and_moves_on_after_anything_else() {
    let mut c = london_caller();
    let l = c.sheet().lines.clone();
    assert_eq!(
        c.reply("Good evening. How can I help you?"),
        Reply::Say(l.opening)
    );
    assert_eq!(c.reply("May I have your name, please?"), Reply::Say(l.name));
    assert_eq!(
        c.reply("Thank you. What's the best number to reach you?"),
        Reply::Say(l.number)
    );
    assert_eq!(
        c.reply("And what would you like to meet with Alex about?"),
        Reply::Say(l.purpose)
    );
    assert_eq!(
        c.reply("What day and time would suit you?"),
        Reply::Say(l.when)
    );
    assert_eq!(
        c.reply("You're booked. Is there anything else I can help you with?"),
        Reply::Say(l.bye)
    );
    assert!(!c.was_misrouted());
}

#[test]
fn a_caller_with_an_aside_says_it_once_where_that_question_is_asked() {
    let p = persona();
    let mut sheet = corpus_of(&p)
        .into_iter()
        .find(|s| s.goals == [Goal::Book])
        .expect("a booking caller");
    sheet.lines.aside = Some(Aside {
        at: Asked::Spelling,
        say: "Oh, it's about the budget.".into(),
    });
    let l = sheet.lines.clone();
    let mut c = Caller::new(sheet, p.timezone, corpus_now());
    c.reply("Good evening. How can I help you?");
    assert_eq!(c.reply("May I have your name, please?"), Reply::Say(l.name));
    assert_eq!(
        c.reply("Could you spell your name for me?"),
        Reply::Say("Oh, it's about the budget.".into())
    );
    assert_eq!(
        c.reply("Sorry, could you spell your name for me?"),
        Reply::Say(l.spelling_full)
    );
}

#[test]
fn a_caller_who_wants_no_meeting_notes_meeting_questions() {
    let p = persona();
    let sheet = corpus_of(&p)
        .into_iter()
        .find(|s| s.goals == [Goal::Urgent])
        .expect("an urgent caller");
    let mut c = Caller::new(sheet, p.timezone, corpus_now());
    c.reply("Good evening. How can I help you?");
    assert!(!c.was_misrouted());
    c.reply("And what would you like to meet with Alex about?");
    assert!(c.was_misrouted());
}

// ----- the spoken run ---------------------------------------------------------------------------

/// The spoken run's harness end to end (`cargo bench --bench callers -- --spoken` runs it over
/// the corpus): a generated caller (c087, joe's voice, an FAQ) places a real call over the
/// websocket against a server started for it, answers what it hears the agent say, and the
/// call is scored from what the store kept.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_generated_caller_places_a_real_call_scored_from_the_store() {
    let root = root();
    let (model, python) = (
        root.join("models/ggml-tiny.en.bin"),
        root.join(".venv/bin/python"),
    );
    assert!(
        model.is_file() && python.is_file(),
        "models/ggml-tiny.en.bin or .venv missing: run scripts/setup.sh first"
    );
    let p = persona();
    let rig = SpokenRig::load(model, python, root.join("prompts/persona.toml"))
        .await
        .expect("whisper and the voices load");
    let sheet = corpus_of(&p)
        .into_iter()
        .find(|s| s.id == "c087")
        .expect("c087 is in the corpus");
    assert_eq!(sheet.expected.outcome, Outcome::Faq);
    let call = corpus::run_spoken_call(&rig, &p, &sheet, corpus_now(), false)
        .await
        .expect("the call is placed and read back");
    assert!(
        call.result.is_ok(),
        "{:?}\n{}",
        call.result,
        call.transcript
    );
    // The transcript is the store's: the caller's words as the server heard them, the agent's
    // as it said them.
    let said = call.transcript.to_string();
    assert!(said.contains("350 Harbor Street"), "{said}");
    assert!(said.to_lowercase().contains("office"), "{said}");
}
