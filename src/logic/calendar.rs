//! The executive's calendar: when a meeting may be booked, which slots are free, and how a slot is
//! spoken to a caller ("Tuesday, March 10th at 2:30 PM").
//!
//! **Architecture Invariant:** `calendar` is pure: no IO, no clock. Instants are UTC; rules are
//! applied in the persona's time zone. The database, not this module, is the last word on double
//! booking (a slot taken by another call between the check and the insert is refused there).

use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;

/// The database's slot granularity: meeting lengths and steps must be multiples of it.
pub const GRANULE_MINUTES: u32 = 15;

/// When meetings may be booked.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingRules {
    /// Days meetings may fall on.
    pub days: Vec<Weekday>,
    /// Earliest start.
    pub start: NaiveTime,
    /// Latest end.
    pub end: NaiveTime,
    /// Length of a meeting, minutes.
    pub length_minutes: u32,
    /// Meetings start on multiples of this many minutes past the hour.
    pub step_minutes: u32,
    /// No booking closer than this to now.
    pub min_notice_hours: u32,
    /// No booking further ahead than this.
    pub horizon_days: u32,
}

impl Default for MeetingRules {
    fn default() -> Self {
        Self {
            days: vec![
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ],
            start: NaiveTime::from_hms_opt(9, 0, 0).expect("valid"),
            end: NaiveTime::from_hms_opt(17, 0, 0).expect("valid"),
            length_minutes: 30,
            step_minutes: 30,
            min_notice_hours: 12,
            horizon_days: 90,
        }
    }
}

impl MeetingRules {
    /// A meeting's length.
    pub fn length(&self) -> Duration {
        Duration::minutes(i64::from(self.length_minutes))
    }

    /// Checks the rules are usable; the error names what is wrong.
    pub fn validate(&self) -> Result<(), String> {
        if self.days.is_empty() {
            return Err("days: at least one day is needed".into());
        }
        if self.end <= self.start {
            return Err("end: must be after start".into());
        }
        for (key, v) in [
            ("length_minutes", self.length_minutes),
            ("step_minutes", self.step_minutes),
        ] {
            if v == 0 || v % GRANULE_MINUTES != 0 {
                return Err(format!(
                    "{key}: must be a positive multiple of {GRANULE_MINUTES}"
                ));
            }
        }
        if self.start + self.length() > self.end {
            return Err("length_minutes: a meeting does not fit between start and end".into());
        }
        Ok(())
    }
}

/// A meeting already in the calendar.
#[derive(Debug, Clone, PartialEq)]
pub struct Booked {
    /// The appointment's id.
    pub id: String,
    /// Start instant.
    pub start: DateTime<Utc>,
    /// End instant.
    pub end: DateTime<Utc>,
    /// Who booked it.
    pub caller_name: Option<String>,
    /// Their number (E.164), used to find "my appointment".
    pub caller_number: Option<String>,
    /// What it is about.
    pub purpose: Option<String>,
}

/// Why a wished-for start cannot be booked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unavailable {
    /// It has already passed.
    Past,
    /// It is closer than the minimum notice.
    TooSoon,
    /// Further ahead than the booking horizon.
    TooFar,
    /// No meetings on that day of the week.
    ClosedDay,
    /// Before the first or after the last meeting time.
    OutsideHours,
    /// Not on a meeting boundary (e.g. 2:10).
    OffGrid,
    /// Someone else has that time.
    Busy,
}

/// The calendar as one call sees it.
#[derive(Debug, Clone)]
pub struct Calendar<'a> {
    rules: &'a MeetingRules,
    tz: Tz,
    busy: &'a [Booked],
}

impl<'a> Calendar<'a> {
    /// The calendar under `rules` in zone `tz`, with `busy` already booked.
    pub fn new(rules: &'a MeetingRules, tz: Tz, busy: &'a [Booked]) -> Self {
        Self { rules, tz, busy }
    }

    /// The zone the rules apply in.
    pub fn tz(&self) -> Tz {
        self.tz
    }

    /// The instant of a local wall-clock time (the earlier one when clocks go back).
    pub fn instant(&self, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        self.tz
            .from_local_datetime(&local)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
    }

    /// Whether a meeting may start at local time `local`; returns its start instant if so.
    /// `ignore` is an appointment to leave out (the one being moved).
    pub fn check(
        &self,
        local: NaiveDateTime,
        now: DateTime<Utc>,
        ignore: Option<&str>,
    ) -> Result<DateTime<Utc>, Unavailable> {
        let start = self.instant(local).ok_or(Unavailable::OutsideHours)?;
        if start <= now {
            return Err(Unavailable::Past);
        }
        if start < now + Duration::hours(i64::from(self.rules.min_notice_hours)) {
            return Err(Unavailable::TooSoon);
        }
        if start > now + Duration::days(i64::from(self.rules.horizon_days)) {
            return Err(Unavailable::TooFar);
        }
        if !self.rules.days.contains(&local.weekday()) {
            return Err(Unavailable::ClosedDay);
        }
        let t = local.time();
        if t < self.rules.start
            || t + self.rules.length() > self.rules.end
            || t + self.rules.length() < t
        {
            return Err(Unavailable::OutsideHours);
        }
        let minutes = (t - self.rules.start).num_minutes();
        if minutes % i64::from(self.rules.step_minutes) != 0
            || local.and_utc().timestamp() % 60 != 0
        {
            return Err(Unavailable::OffGrid);
        }
        let end = start + self.rules.length();
        let clash = self
            .busy
            .iter()
            .filter(|b| Some(b.id.as_str()) != ignore)
            .any(|b| b.start < end && start < b.end);
        if clash {
            return Err(Unavailable::Busy);
        }
        Ok(start)
    }

    /// Every bookable start on local `date`, in order.
    pub fn free_on(
        &self,
        date: NaiveDate,
        now: DateTime<Utc>,
        ignore: Option<&str>,
    ) -> Vec<DateTime<Utc>> {
        let mut out = Vec::new();
        let mut t = date.and_time(self.rules.start);
        let step = Duration::minutes(i64::from(self.rules.step_minutes));
        while t.time() + self.rules.length() <= self.rules.end && t.date() == date {
            if let Ok(start) = self.check(t, now, ignore) {
                out.push(start);
            }
            t += step;
        }
        out
    }

    /// Up to `n` free starts on local `date` between `from` and `to` (local times), earliest first.
    pub fn free_between(
        &self,
        date: NaiveDate,
        from: NaiveTime,
        to: NaiveTime,
        now: DateTime<Utc>,
        n: usize,
        ignore: Option<&str>,
    ) -> Vec<DateTime<Utc>> {
        self.free_on(date, now, ignore)
            .into_iter()
            .filter(|s| {
                let t = s.with_timezone(&self.tz).time();
                t >= from && t < to
            })
            .take(n)
            .collect()
    }

    /// The first `n` free starts on or after local `date`, within two weeks of it.
    pub fn first_free_from(
        &self,
        date: NaiveDate,
        now: DateTime<Utc>,
        n: usize,
        ignore: Option<&str>,
    ) -> Vec<DateTime<Utc>> {
        let mut out = Vec::new();
        for d in 0..14 {
            let day = date + Duration::days(d);
            out.extend(self.free_on(day, now, ignore));
            if out.len() >= n {
                break;
            }
        }
        out.truncate(n);
        out
    }

    /// The `n` free starts nearest to the wished local time, in time order, searched a week
    /// either side; on a tie the later wins, so a busy wish gets one before and one after.
    pub fn nearest(
        &self,
        wish: NaiveDateTime,
        now: DateTime<Utc>,
        n: usize,
        ignore: Option<&str>,
    ) -> Vec<DateTime<Utc>> {
        let target = self.instant(wish).unwrap_or(now);
        let mut candidates = Vec::new();
        for d in -7..=7 {
            candidates.extend(self.free_on(wish.date() + Duration::days(d), now, ignore));
        }
        candidates.sort_by_key(|s| ((*s - target).num_minutes().abs(), std::cmp::Reverse(*s)));
        candidates.truncate(n);
        candidates.sort();
        candidates
    }
}

/// "1st", "2nd", "3rd", "4th", … "11th", "12th", "13th", "21st".
pub fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// A clock time as said aloud: "2:30 PM", "9 AM", "noon".
pub fn speak_time(t: NaiveTime) -> String {
    use chrono::Timelike;
    let (h, m) = (t.hour(), t.minute());
    if h == 12 && m == 0 {
        return "noon".into();
    }
    let meridiem = if h < 12 { "AM" } else { "PM" };
    let h12 = match h % 12 {
        0 => 12,
        x => x,
    };
    if m == 0 {
        format!("{h12} {meridiem}")
    } else {
        format!("{h12}:{m:02} {meridiem}")
    }
}

/// A meeting start as said aloud in zone `tz`: "Tuesday, March 10th at 2:30 PM". The year is
/// added only when it is not the year of `now`.
pub fn speak(start: DateTime<Utc>, tz: Tz, now: DateTime<Utc>) -> String {
    let local = start.with_timezone(&tz);
    let today = now.with_timezone(&tz).date_naive();
    format!(
        "{} at {}",
        speak_date(local.date_naive(), today),
        speak_time(local.time())
    )
}

/// A day as said aloud: "Tuesday, March 10th", with the year only when it is not `today`'s.
pub fn speak_date(day: NaiveDate, today: NaiveDate) -> String {
    let mut said = format!(
        "{}, {} {}",
        day.format("%A"),
        day.format("%B"),
        ordinal(day.day())
    );
    if day.year() != today.year() {
        said.push_str(&format!(", {}", day.year()));
    }
    said
}

/// Two or more slots joined for speech: "2 PM or 3 PM" on one day, else each with its day.
pub fn speak_choices(slots: &[DateTime<Utc>], tz: Tz, now: DateTime<Utc>) -> String {
    let same_day = slots
        .windows(2)
        .all(|w| w[0].with_timezone(&tz).date_naive() == w[1].with_timezone(&tz).date_naive());
    let parts: Vec<String> = slots
        .iter()
        .enumerate()
        .map(|(i, s)| {
            if same_day && i > 0 {
                speak_time(s.with_timezone(&tz).time())
            } else {
                speak(*s, tz, now)
            }
        })
        .collect();
    match parts.len() {
        0 => String::new(),
        1 => parts[0].clone(),
        _ => {
            let (last, rest) = parts.split_last().expect("two or more");
            format!("{} or {}", rest.join(", "), last)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TZ: Tz = chrono_tz::America::New_York;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn local(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn booked(id: &str, start: &str) -> Booked {
        let start = utc(start);
        Booked {
            id: id.into(),
            start,
            end: start + Duration::minutes(30),
            caller_name: None,
            caller_number: None,
            purpose: None,
        }
    }

    /// Monday 2026-11-23, 19:30 in Boston.
    fn now() -> DateTime<Utc> {
        utc("2026-11-23T19:30:00-05:00")
    }

    #[test]
    fn rules_are_applied_in_the_local_zone() {
        let rules = MeetingRules::default();
        let busy = [booked("a", "2026-11-25T14:00:00-05:00")];
        let cal = Calendar::new(&rules, TZ, &busy);
        assert_eq!(
            cal.check(local("2026-11-24 10:00"), now(), None),
            Ok(utc("2026-11-24T15:00:00Z"))
        );
        let cases = [
            ("2026-11-23 09:00", Unavailable::Past),
            ("2026-11-24 07:00", Unavailable::TooSoon),
            ("2026-11-28 10:00", Unavailable::ClosedDay),
            ("2026-11-24 08:30", Unavailable::OutsideHours),
            ("2026-11-24 17:00", Unavailable::OutsideHours),
            ("2026-11-24 16:45", Unavailable::OutsideHours),
            ("2026-11-24 16:15", Unavailable::OffGrid),
            ("2026-11-24 10:15", Unavailable::OffGrid),
            ("2026-11-25 14:00", Unavailable::Busy),
            ("2027-06-01 10:00", Unavailable::TooFar),
        ];
        for (wish, why) in cases {
            assert_eq!(cal.check(local(wish), now(), None), Err(why), "{wish}");
        }
        // The appointment being moved does not block itself.
        assert!(cal
            .check(local("2026-11-25 14:00"), now(), Some("a"))
            .is_ok());
        assert!(cal.check(local("2026-11-24 16:30"), now(), None).is_ok());
    }

    #[test]
    fn a_longer_meeting_clashes_with_any_overlap() {
        let rules = MeetingRules {
            length_minutes: 60,
            ..MeetingRules::default()
        };
        let busy = [booked("a", "2026-11-25T14:30:00-05:00")];
        let cal = Calendar::new(&rules, TZ, &busy);
        assert_eq!(
            cal.check(local("2026-11-25 14:00"), now(), None),
            Err(Unavailable::Busy)
        );
        assert_eq!(
            cal.check(local("2026-11-25 16:30"), now(), None),
            Err(Unavailable::OutsideHours)
        );
        assert!(cal.check(local("2026-11-25 15:00"), now(), None).is_ok());
    }

    #[test]
    fn nearest_free_slots_surround_a_busy_wish() {
        let rules = MeetingRules::default();
        let busy = [
            booked("a", "2026-11-25T14:00:00-05:00"),
            booked("b", "2026-11-25T14:30:00-05:00"),
        ];
        let cal = Calendar::new(&rules, TZ, &busy);
        let got = cal.nearest(local("2026-11-25 14:00"), now(), 2, None);
        assert_eq!(
            got,
            vec![
                utc("2026-11-25T13:30:00-05:00"),
                utc("2026-11-25T15:00:00-05:00")
            ]
        );
        assert_eq!(
            speak_choices(&got, TZ, now()),
            "Wednesday, November 25th at 1:30 PM or 3 PM"
        );
        // An evening wish gets the day's last slot and the next morning.
        let got = cal.nearest(local("2026-11-24 20:00"), now(), 2, None);
        assert_eq!(
            got,
            vec![
                utc("2026-11-24T16:00:00-05:00"),
                utc("2026-11-24T16:30:00-05:00")
            ]
        );
        // Too soon: the first slots after the notice period.
        let got = cal.first_free_from(local("2026-11-23 00:00").date(), now(), 2, None);
        assert_eq!(got[0], utc("2026-11-24T09:00:00-05:00"));
    }

    #[test]
    fn a_part_of_day_limits_the_choices() {
        let rules = MeetingRules::default();
        let cal = Calendar::new(&rules, TZ, &[]);
        let day = local("2026-11-27 00:00").date();
        let got = cal.free_between(
            day,
            NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
            NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
            now(),
            2,
            None,
        );
        assert_eq!(
            speak_choices(&got, TZ, now()),
            "Friday, November 27th at noon or 12:30 PM"
        );
    }

    #[test]
    fn slots_are_spoken_naturally() {
        assert_eq!(
            speak(utc("2027-03-10T14:30:00-05:00"), TZ, now()),
            "Wednesday, March 10th, 2027 at 2:30 PM"
        );
        assert_eq!(
            speak(utc("2026-12-01T09:00:00-05:00"), TZ, now()),
            "Tuesday, December 1st at 9 AM"
        );
        for (n, s) in [
            (1, "1st"),
            (2, "2nd"),
            (3, "3rd"),
            (4, "4th"),
            (11, "11th"),
            (12, "12th"),
            (13, "13th"),
            (21, "21st"),
            (22, "22nd"),
            (23, "23rd"),
            (31, "31st"),
        ] {
            assert_eq!(ordinal(n), s);
        }
    }

    #[test]
    fn bad_rules_are_refused() {
        let mut r = MeetingRules {
            length_minutes: 20,
            ..MeetingRules::default()
        };
        assert!(r.validate().unwrap_err().contains("length_minutes"));
        r.length_minutes = 30;
        r.end = r.start;
        assert!(r.validate().unwrap_err().contains("end"));
        assert!(MeetingRules::default().validate().is_ok());
    }
}
