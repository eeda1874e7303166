//! A `VTIMEZONE` whose `TZID` names no known zone — Outlook's "Customized Time Zone", Exchange's
//! "(UTC+01:00) Amsterdam, Berlin, …", a Notes or CRM export's "GMT-0500" — read for what it
//! says: its observances (`STANDARD`, `DAYLIGHT`: the offset each switches to, and when, by a
//! yearly `RRULE`, a `DTSTART` or `RDATE`s), which are matched to the IANA zone that keeps the
//! same clocks over the years asked about, so events in it are read at their true instants and
//! recurring ones expand across its daylight-saving changes as that zone's do.
//!
//! **Architecture Invariant:** pure: no IO, no clock; the years and the preferred zone are
//! arguments. Anything unreadable in a definition makes it `None`, never a panic.

use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;
use icalendar::parser::Component;

/// The IANA zone whose UTC offsets equal `vtimezone`'s at noon UTC on every day of `years`
/// (`preferred` first, then the zones with a region and a city, then the rest), or `None` when
/// the definition cannot be read or no zone keeps its clocks.
pub fn matching_zone(vtimezone: &Component<'_>, years: &[i32], preferred: Tz) -> Option<Tz> {
    let observances = observances(vtimezone)?;
    let days: Vec<DateTime<Utc>> = years
        .iter()
        .flat_map(|&y| {
            let first = NaiveDate::from_ymd_opt(y, 1, 1);
            first
                .into_iter()
                .flat_map(move |d| d.iter_days().take_while(move |d| d.year() == y))
        })
        .filter_map(|d| d.and_hms_opt(12, 0, 0))
        .map(|t| t.and_utc())
        .collect();
    let wanted: Vec<i32> = days
        .iter()
        .map(|t| offset_at(&observances, *t))
        .collect::<Option<_>>()?;
    let keeps = |tz: &Tz| {
        days.iter().zip(&wanted).all(|(t, want)| {
            tz.offset_from_utc_datetime(&t.naive_utc())
                .fix()
                .local_minus_utc()
                == *want
        })
    };
    if keeps(&preferred) {
        return Some(preferred);
    }
    let legacy = |name: &str| {
        !name.contains('/')
            || [
                "Etc/", "US/", "Canada/", "Brazil/", "Chile/", "Mexico/", "SystemV/",
            ]
            .iter()
            .any(|p| name.starts_with(p))
    };
    let (regional, rest): (Vec<Tz>, Vec<Tz>) = chrono_tz::TZ_VARIANTS
        .iter()
        .partition(|tz| !legacy(tz.name()));
    regional.into_iter().chain(rest).find(keeps)
}

/// One `STANDARD` or `DAYLIGHT` block: the offset it switches to, and its onsets.
#[derive(Debug, Clone, PartialEq)]
struct Observance {
    /// The offset in force before an onset, seconds east of UTC.
    from: i32,
    /// The offset from an onset on, seconds east of UTC.
    to: i32,
    /// The first onset, in local time before the change.
    start: NaiveDateTime,
    /// The yearly rule, if any.
    rule: Option<Yearly>,
    /// Further onsets (`RDATE`), in local time before the change.
    rdates: Vec<NaiveDateTime>,
}

/// `FREQ=YEARLY`: the month, the day in it, and the last year it applies.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Yearly {
    month: u32,
    day: Day,
    until: Option<i32>,
}

/// Which day of the month a yearly rule picks.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Day {
    /// `BYDAY=2SU` (the second Sunday) or `-1SU` (the last).
    Nth(i8, Weekday),
    /// `BYDAY=SU;BYMONTHDAY=8,…,14`: the weekday on or after the first listed day.
    OnOrAfter(u32, Weekday),
    /// `BYMONTHDAY=15`.
    Fixed(u32),
}

fn observances(vtimezone: &Component<'_>) -> Option<Vec<Observance>> {
    let mut out = Vec::new();
    for c in &vtimezone.components {
        let name = c.name.as_str();
        if !(name.eq_ignore_ascii_case("STANDARD") || name.eq_ignore_ascii_case("DAYLIGHT")) {
            continue;
        }
        let value = |key: &str| {
            c.properties
                .iter()
                .find(|p| p.name.as_str().eq_ignore_ascii_case(key))
                .map(|p| p.val.as_str().trim().to_string())
        };
        let to = offset(&value("TZOFFSETTO")?)?;
        let from = value("TZOFFSETFROM").and_then(|v| offset(&v)).unwrap_or(to);
        let start = local(&value("DTSTART")?)?;
        let rule = match value("RRULE") {
            Some(r) => Some(yearly(&r)?),
            None => None,
        };
        let rdates = c
            .properties
            .iter()
            .filter(|p| p.name.as_str().eq_ignore_ascii_case("RDATE"))
            .flat_map(|p| p.val.as_str().split(','))
            .map(local)
            .collect::<Option<Vec<_>>>()?;
        out.push(Observance {
            from,
            to,
            start,
            rule,
            rdates,
        });
    }
    (!out.is_empty()).then_some(out)
}

/// `-0500`, `+0530`, `+013045` as seconds east of UTC.
fn offset(v: &str) -> Option<i32> {
    let (sign, digits) = match v.as_bytes().first()? {
        b'+' => (1, &v[1..]),
        b'-' => (-1, &v[1..]),
        _ => return None,
    };
    if !(digits.len() == 4 || digits.len() == 6) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| digits.get(r).and_then(|s| s.parse::<i32>().ok());
    let secs = n(0..2)? * 3600 + n(2..4)? * 60 + if digits.len() == 6 { n(4..6)? } else { 0 };
    (secs < 24 * 3600).then_some(sign * secs)
}

fn local(v: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(v.trim().trim_end_matches(['Z', 'z']), "%Y%m%dT%H%M%S").ok()
}

fn weekday(s: &str) -> Option<Weekday> {
    Some(match s {
        "MO" => Weekday::Mon,
        "TU" => Weekday::Tue,
        "WE" => Weekday::Wed,
        "TH" => Weekday::Thu,
        "FR" => Weekday::Fri,
        "SA" => Weekday::Sat,
        "SU" => Weekday::Sun,
        _ => return None,
    })
}

/// A yearly rule as time-zone definitions write them; anything else is `None`.
fn yearly(rule: &str) -> Option<Yearly> {
    let mut freq = None;
    let (mut month, mut byday, mut monthdays, mut until) = (None, None, Vec::new(), None);
    for part in rule.split(';') {
        let (k, v) = part.split_once('=')?;
        match k.trim().to_ascii_uppercase().as_str() {
            "FREQ" => freq = Some(v.trim().to_ascii_uppercase()),
            "BYMONTH" => {
                month = v
                    .trim()
                    .parse::<u32>()
                    .ok()
                    .filter(|m| (1..=12).contains(m))
            }
            "BYDAY" => byday = Some(v.trim().to_ascii_uppercase()),
            "BYMONTHDAY" => {
                monthdays = v
                    .split(',')
                    .map(|d| {
                        d.trim()
                            .parse::<u32>()
                            .ok()
                            .filter(|d| (1..=31).contains(d))
                    })
                    .collect::<Option<Vec<_>>>()?
            }
            "UNTIL" => until = Some(v.trim().get(..4)?.parse::<i32>().ok()?),
            _ => {}
        }
    }
    if freq.as_deref() != Some("YEARLY") {
        return None;
    }
    let day = match (byday, monthdays.first()) {
        (Some(b), first) => {
            let split = b.len().checked_sub(2)?;
            let (n, wd) = (b.get(..split)?, b.get(split..)?);
            let wd = weekday(wd)?;
            if n.is_empty() {
                Day::OnOrAfter(*first?, wd)
            } else {
                let n = n.trim_start_matches('+').parse::<i8>().ok()?;
                (n != 0 && (-5..=5).contains(&n)).then_some(Day::Nth(n, wd))?
            }
        }
        (None, Some(d)) => Day::Fixed(*d),
        (None, None) => return None,
    };
    Some(Yearly {
        month: month?,
        day,
        until,
    })
}

/// The date `day` picks in `month` of `year`.
fn date_in(year: i32, month: u32, day: Day) -> Option<NaiveDate> {
    match day {
        Day::Fixed(d) => NaiveDate::from_ymd_opt(year, month, d),
        Day::OnOrAfter(d, wd) => {
            let first = NaiveDate::from_ymd_opt(year, month, d)?;
            first.iter_days().find(|x| x.weekday() == wd)
        }
        Day::Nth(n, wd) => {
            let n = i16::from(n);
            if n > 0 {
                NaiveDate::from_weekday_of_month_opt(year, month, wd, u8::try_from(n).ok()?)
            } else {
                let next = if month == 12 {
                    NaiveDate::from_ymd_opt(year + 1, 1, 1)?
                } else {
                    NaiveDate::from_ymd_opt(year, month + 1, 1)?
                };
                let last = next.pred_opt()?;
                let back =
                    (last.weekday().num_days_from_monday() + 7 - wd.num_days_from_monday()) % 7;
                last.checked_sub_signed(Duration::days(i64::from(back) + 7 * (-n - 1) as i64))
                    .filter(|d| d.month() == month)
            }
        }
    }
}

/// The offset `observances` put in force at `t`: the one whose latest onset at or before `t`
/// is latest (before every onset, the earliest observance's offset before it).
fn offset_at(observances: &[Observance], t: DateTime<Utc>) -> Option<i32> {
    let mut best: Option<(DateTime<Utc>, i32)> = None;
    for o in observances {
        let mut onsets: Vec<NaiveDateTime> = vec![o.start];
        onsets.extend(o.rdates.iter().copied());
        if let Some(rule) = o.rule {
            for year in (t.year() - 1)..=(t.year() + 1) {
                if year < o.start.year() || rule.until.is_some_and(|u| year > u) {
                    continue;
                }
                if let Some(d) = date_in(year, rule.month, rule.day) {
                    onsets.push(d.and_time(o.start.time()));
                }
            }
        }
        for local in onsets {
            let at = local
                .checked_sub_signed(Duration::seconds(i64::from(o.from)))?
                .and_utc();
            if at <= t && best.is_none_or(|(b, _)| at > b) {
                best = Some((at, o.to));
            }
        }
    }
    match best {
        Some((_, off)) => Some(off),
        None => observances.iter().min_by_key(|o| o.start).map(|o| o.from),
    }
}

/// The zone's standard offset and daylight saving at `t`, for tests' messages.
#[cfg(test)]
fn describe(tz: Tz, t: DateTime<Utc>) -> String {
    use chrono_tz::OffsetComponents;
    let off = tz.offset_from_utc_datetime(&t.naive_utc());
    format!(
        "{} {:?} {:?}",
        tz.name(),
        off.base_utc_offset(),
        off.dst_offset()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone_of(text: &str, preferred: Tz) -> Option<Tz> {
        let text = text.replace('\n', "\r\n");
        let unfolded = icalendar::parser::unfold(&text);
        let roots = icalendar::parser::read_components(&unfolded).unwrap();
        matching_zone(&roots[0], &[2026, 2027], preferred)
    }

    const CUSTOM_BERLIN: &str = "BEGIN:VTIMEZONE\nTZID:(UTC+01:00) Amsterdam\\, Berlin\\, Bern\\, Rome\\, Stockholm\\, Vienna\nBEGIN:STANDARD\nDTSTART:16010101T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nRRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\nEND:STANDARD\nBEGIN:DAYLIGHT\nDTSTART:16010101T020000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\nRRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\nEND:DAYLIGHT\nEND:VTIMEZONE\n";

    #[test]
    fn an_outlook_custom_zone_is_the_zone_that_keeps_its_clocks() {
        let tz = zone_of(CUSTOM_BERLIN, chrono_tz::America::New_York).expect("a zone");
        // Central European time: +1 in winter, +2 in summer, changing on the last Sundays.
        for (utc, secs) in [
            ("2026-01-15T12:00:00Z", 3600),
            ("2026-03-28T12:00:00Z", 3600),
            ("2026-03-29T12:00:00Z", 7200),
            ("2026-10-24T12:00:00Z", 7200),
            ("2026-10-25T12:00:00Z", 3600),
        ] {
            let t: DateTime<Utc> = utc.parse().unwrap();
            let off = tz
                .offset_from_utc_datetime(&t.naive_utc())
                .fix()
                .local_minus_utc();
            assert_eq!(off, secs, "{utc}: {}", describe(tz, t));
        }
    }

    #[test]
    fn the_persona_zone_is_taken_when_it_keeps_the_same_clocks() {
        let us_eastern = "BEGIN:VTIMEZONE\nTZID:Customized Time Zone\nBEGIN:STANDARD\nDTSTART:16010101T020000\nTZOFFSETFROM:-0400\nTZOFFSETTO:-0500\nRRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11\nEND:STANDARD\nBEGIN:DAYLIGHT\nDTSTART:16010101T020000\nTZOFFSETFROM:-0500\nTZOFFSETTO:-0400\nRRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3\nEND:DAYLIGHT\nEND:VTIMEZONE\n";
        assert_eq!(
            zone_of(us_eastern, chrono_tz::America::New_York),
            Some(chrono_tz::America::New_York)
        );
        // With another persona zone, a zone on the same clocks (not Central, not London).
        let other = zone_of(us_eastern, chrono_tz::Europe::London).expect("a zone");
        let july: DateTime<Utc> = "2026-07-01T12:00:00Z".parse().unwrap();
        let nov: DateTime<Utc> = "2026-11-02T12:00:00Z".parse().unwrap();
        for (t, secs) in [(july, -4 * 3600), (nov, -5 * 3600)] {
            assert_eq!(
                other
                    .offset_from_utc_datetime(&t.naive_utc())
                    .fix()
                    .local_minus_utc(),
                secs,
                "{}",
                describe(other, t)
            );
        }
    }

    #[test]
    fn old_style_rules_fixed_offsets_and_the_southern_hemisphere() {
        // "The first Sunday on or after the 8th" of March (BYMONTHDAY list), as old exports
        // write the US rule.
        let old_style = "BEGIN:VTIMEZONE\nTZID:Eastern\nBEGIN:STANDARD\nDTSTART:20071104T020000\nTZOFFSETFROM:-0400\nTZOFFSETTO:-0500\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=SU;BYMONTHDAY=1,2,3,4,5,6,7\nEND:STANDARD\nBEGIN:DAYLIGHT\nDTSTART:20070311T020000\nTZOFFSETFROM:-0500\nTZOFFSETTO:-0400\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=SU;BYMONTHDAY=8,9,10,11,12,13,14\nEND:DAYLIGHT\nEND:VTIMEZONE\n";
        assert_eq!(
            zone_of(old_style, chrono_tz::America::New_York),
            Some(chrono_tz::America::New_York)
        );
        // No daylight saving: India's +05:30.
        let fixed = "BEGIN:VTIMEZONE\nTZID:GMT+0530\nBEGIN:STANDARD\nDTSTART:19700101T000000\nTZOFFSETFROM:+0530\nTZOFFSETTO:+0530\nEND:STANDARD\nEND:VTIMEZONE\n";
        let tz = zone_of(fixed, chrono_tz::America::New_York).expect("a zone");
        let t: DateTime<Utc> = "2026-11-25T12:00:00Z".parse().unwrap();
        assert_eq!(
            tz.offset_from_utc_datetime(&t.naive_utc())
                .fix()
                .local_minus_utc(),
            19_800
        );
        // Sydney: summer time from the first Sunday of October to the first of April.
        let sydney = "BEGIN:VTIMEZONE\nTZID:AUS Eastern (custom)\nBEGIN:STANDARD\nDTSTART:16010101T030000\nTZOFFSETFROM:+1100\nTZOFFSETTO:+1000\nRRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=4\nEND:STANDARD\nBEGIN:DAYLIGHT\nDTSTART:16010101T020000\nTZOFFSETFROM:+1000\nTZOFFSETTO:+1100\nRRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=10\nEND:DAYLIGHT\nEND:VTIMEZONE\n";
        let tz = zone_of(sydney, chrono_tz::America::New_York).expect("a zone");
        for (utc, secs) in [
            ("2026-01-15T12:00:00Z", 39_600),
            ("2026-07-15T12:00:00Z", 36_000),
        ] {
            let t: DateTime<Utc> = utc.parse().unwrap();
            assert_eq!(
                tz.offset_from_utc_datetime(&t.naive_utc())
                    .fix()
                    .local_minus_utc(),
                secs,
                "{utc}: {}",
                describe(tz, t)
            );
        }
    }

    #[test]
    fn unreadable_or_unkept_definitions_match_nothing() {
        for text in [
            // No observance.
            "BEGIN:VTIMEZONE\nTZID:Empty\nEND:VTIMEZONE\n",
            // An offset that is not one.
            "BEGIN:VTIMEZONE\nTZID:Bad\nBEGIN:STANDARD\nDTSTART:19700101T000000\nTZOFFSETFROM:+5\nTZOFFSETTO:soon\nEND:STANDARD\nEND:VTIMEZONE\n",
            // A rule that is not yearly.
            "BEGIN:VTIMEZONE\nTZID:Odd\nBEGIN:STANDARD\nDTSTART:19700101T000000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0100\nRRULE:FREQ=DAILY\nEND:STANDARD\nEND:VTIMEZONE\n",
            // Clocks no zone keeps: +01:17.
            "BEGIN:VTIMEZONE\nTZID:Nowhere\nBEGIN:STANDARD\nDTSTART:19700101T000000\nTZOFFSETFROM:+0117\nTZOFFSETTO:+0117\nEND:STANDARD\nEND:VTIMEZONE\n",
        ] {
            assert_eq!(zone_of(text, chrono_tz::UTC), None, "{text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_definition_reads_without_panicking(
            body in "((DTSTART|TZOFFSETFROM|TZOFFSETTO|RRULE|RDATE):[0-9TZ+=;A-Z,-]{0,30}\n){0,6}",
        ) {
            let text = format!("BEGIN:VTIMEZONE\nTZID:X\nBEGIN:DAYLIGHT\n{body}END:DAYLIGHT\nEND:VTIMEZONE\n");
            let _ = zone_of(&text, chrono_tz::UTC);
        }
    }

    #[test]
    fn rule_days() {
        let d = |y, m, day| date_in(y, m, day).map(|d: NaiveDate| d.to_string());
        assert_eq!(
            d(2026, 3, Day::Nth(2, Weekday::Sun)).as_deref(),
            Some("2026-03-08")
        );
        assert_eq!(
            d(2026, 3, Day::Nth(-1, Weekday::Sun)).as_deref(),
            Some("2026-03-29")
        );
        assert_eq!(
            d(2026, 10, Day::Nth(-1, Weekday::Sun)).as_deref(),
            Some("2026-10-25")
        );
        assert_eq!(
            d(2026, 12, Day::Nth(-1, Weekday::Thu)).as_deref(),
            Some("2026-12-31")
        );
        assert_eq!(
            d(2026, 3, Day::OnOrAfter(8, Weekday::Sun)).as_deref(),
            Some("2026-03-08")
        );
        assert_eq!(d(2026, 2, Day::Nth(5, Weekday::Sun)), None);
        assert_eq!(offset("+0530"), Some(19_800));
        assert_eq!(offset("-0000"), Some(0));
        assert_eq!(offset("0500"), None);
        assert_eq!(offset("+2500"), None);
    }
}
