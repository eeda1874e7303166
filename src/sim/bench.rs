//! `frontdesk bench`: many simulated calls at once against one server, measured from the
//! caller's side of a real websocket.
//!
//! The callers' lines are spoken once before any call is placed ([`crate::speech::tts::Rehearsed`]),
//! then streamed in real time as 20 ms µ-law frames by [`super::place_call`]. Per round of N
//! concurrent calls it measures the reply latency (the caller's last voiced frame to the
//! agent's first voiced frame), answer-to-greeting, barge-in stop, pacing (agent frames late
//! against real time), post-call availability (hang-up → the call closed, its recording and
//! notifications complete), the server's CPU and RSS (from `/proc`, when it runs on this
//! machine), and the word error rate of the caller turns the server stored against the script.
//! The statistics are pure functions, tested below; the round itself is IO.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::{SimOptions, SimReport, Step};
use crate::speech::tts::TtsEngine;

/// p50, p95 and max of a figure, in milliseconds (`None` when nothing was measured).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spread {
    pub n: usize,
    pub p50: f64,
    pub p95: f64,
    pub max: f64,
}

impl Spread {
    /// The spread of `values` (nearest-rank percentiles).
    pub fn of(values: &[f64]) -> Option<Self> {
        if values.is_empty() {
            return None;
        }
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        let rank = |p: f64| v[((p * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1];
        Some(Self {
            n: v.len(),
            p50: rank(0.50),
            p95: rank(0.95),
            max: v[v.len() - 1],
        })
    }
}

/// How late the agent's frames arrived against real time. Frames closer together than
/// `run_gap` form one run of speech; frame k of a run is due 20 ms × k after the run's first.
/// Returns (frames, frames more than 20 ms late, the worst lateness in ms).
pub fn pacing(arrivals: &[Instant], run_gap: Duration) -> (usize, usize, f64) {
    let mut late = 0;
    let mut worst: f64 = 0.0;
    let mut start = 0;
    for k in 0..arrivals.len() {
        if k > 0 && arrivals[k].duration_since(arrivals[k - 1]) >= run_gap {
            start = k;
        }
        let due = arrivals[start] + Duration::from_millis(20 * (k - start) as u64);
        let lateness = arrivals[k].saturating_duration_since(due).as_secs_f64() * 1000.0;
        worst = worst.max(lateness);
        if lateness > 20.0 {
            late += 1;
        }
    }
    (arrivals.len(), late, worst)
}

/// Lowercase words, numbers as their digits ("555-0144" → "5550144"), for the error rate.
fn words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut prev_digits = false;
    for raw in text.split_whitespace() {
        let w: String = raw
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == '\'')
            .flat_map(char::to_lowercase)
            .collect();
        if w.is_empty() {
            continue;
        }
        // Digits whisper groups differently ("555 0144", "5550144") count as one number.
        let digits = w.chars().all(|c| c.is_ascii_digit());
        match out.last_mut() {
            Some(last) if digits && prev_digits => last.push_str(&w),
            _ => out.push(w),
        }
        prev_digits = digits;
    }
    out
}

/// Word error rate of `heard` against `said`: word-level edit distance over the words said.
pub fn word_error_rate(said: &str, heard: &str) -> Option<f64> {
    let (r, h) = (words(said), words(heard));
    if r.is_empty() {
        return None;
    }
    let mut prev: Vec<usize> = (0..=h.len()).collect();
    for (i, rw) in r.iter().enumerate() {
        let mut cur = vec![i + 1; h.len() + 1];
        for (j, hw) in h.iter().enumerate() {
            let sub = prev[j] + usize::from(rw != hw);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    Some(prev[h.len()] as f64 / r.len() as f64)
}

/// What the caller says in a script, in order, as one text.
pub fn script_words(steps: &[Step]) -> String {
    steps
        .iter()
        .filter_map(Step::spoken)
        .collect::<Vec<_>>()
        .join(" ")
}

/// One call's figures.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CallFigures {
    pub call_sid: String,
    pub reply_ms: Vec<f64>,
    pub greeting_ms: Option<f64>,
    pub barge_attempts: usize,
    pub barge_stop_ms: Vec<f64>,
    /// The agent's audio over a line the caller had already begun (not barge-ins).
    pub overlaps: usize,
    pub overlap_stop_ms: Vec<f64>,
    pub frames: usize,
    pub late_frames: usize,
    pub worst_lateness_ms: f64,
    /// Hang-up to the call closed with its recording and notifications complete.
    pub available_ms: Option<f64>,
    pub wer: Option<f64>,
    /// Where each reply's latency went, as the server noted it (`reply_timing` events).
    pub timings: Vec<ReplyTiming>,
    /// Why the call failed, if it did.
    pub failed: Option<String>,
}

/// One reply's latency as the server's conductor split it (its `reply_timing` note): all in ms,
/// from the caller's last word as the server's endpointer saw it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct ReplyTiming {
    /// The turn ended at the early pause on a complete answer (else after the whole silence).
    pub at_pause: bool,
    /// The caller's last word to the turn's end decided.
    pub endpoint_ms: f64,
    /// Whisper's own time on the turn's words (some of it perhaps before the decision).
    pub stt_ms: f64,
    /// What of whisper's time came after the decision.
    pub stt_wait_ms: f64,
    /// The words heard to the reply asked for (a calendar answer included).
    pub dialog_ms: f64,
    /// The reply asked for to its first sentence synthesised.
    pub voice_ms: f64,
    /// The first sentence synthesised to its first frame sent.
    pub send_ms: f64,
    /// The caller's last word to the reply's first frame sent.
    pub total_ms: f64,
}

impl ReplyTiming {
    /// Reads a `reply_timing` note's detail (`end=pause endpoint_ms=260 …`).
    pub fn parse(detail: &str) -> Option<Self> {
        let mut t = Self::default();
        let mut seen = 0;
        for pair in detail.split_whitespace() {
            let (key, value) = pair.split_once('=')?;
            if key == "end" {
                t.at_pause = match value {
                    "pause" => true,
                    "silence" => false,
                    _ => return None,
                };
                seen += 1;
                continue;
            }
            let field = match key {
                "endpoint_ms" => &mut t.endpoint_ms,
                "stt_ms" => &mut t.stt_ms,
                "stt_wait_ms" => &mut t.stt_wait_ms,
                "dialog_ms" => &mut t.dialog_ms,
                "voice_ms" => &mut t.voice_ms,
                "send_ms" => &mut t.send_ms,
                "total_ms" => &mut t.total_ms,
                _ => continue,
            };
            *field = value.parse().ok()?;
            seen += 1;
        }
        (seen == 8).then_some(t)
    }
}

/// The replies' timings of one call, from its stored log.
fn reply_timings(log: &serde_json::Value) -> Vec<ReplyTiming> {
    log.get("events")
        .and_then(|e| e.as_array())
        .into_iter()
        .flatten()
        .filter(|e| e.get("kind").and_then(|k| k.as_str()) == Some("reply_timing"))
        .filter_map(|e| e.get("detail").and_then(|d| d.as_str()))
        .filter_map(ReplyTiming::parse)
        .collect()
}

/// A round's reply timings: the median of each part, and how the turns ended.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Breakdown {
    pub replies: usize,
    /// Turns that ended at the early pause on a complete answer.
    pub ended_at_pause: usize,
    pub endpoint_p50: f64,
    pub stt_p50: f64,
    pub stt_wait_p50: f64,
    pub dialog_p50: f64,
    pub voice_p50: f64,
    pub send_p50: f64,
    pub total_p50: f64,
    /// The endpoint wait's median over the turns that ended after the whole silence.
    pub endpoint_silence_p50: Option<f64>,
}

impl Breakdown {
    /// The medians of `timings`; `None` without any.
    pub fn of(timings: &[ReplyTiming]) -> Option<Self> {
        let p50 = |f: fn(&ReplyTiming) -> f64| {
            Spread::of(&timings.iter().map(f).collect::<Vec<_>>()).map_or(0.0, |s| s.p50)
        };
        let silence: Vec<f64> = timings
            .iter()
            .filter(|t| !t.at_pause)
            .map(|t| t.endpoint_ms)
            .collect();
        (!timings.is_empty()).then(|| Self {
            replies: timings.len(),
            ended_at_pause: timings.iter().filter(|t| t.at_pause).count(),
            endpoint_p50: p50(|t| t.endpoint_ms),
            stt_p50: p50(|t| t.stt_ms),
            stt_wait_p50: p50(|t| t.stt_wait_ms),
            dialog_p50: p50(|t| t.dialog_ms),
            voice_p50: p50(|t| t.voice_ms),
            send_p50: p50(|t| t.send_ms),
            total_p50: p50(|t| t.total_ms),
            endpoint_silence_p50: Spread::of(&silence).map(|s| s.p50),
        })
    }
}

impl CallFigures {
    /// The figures the caller's side measured of one call.
    pub fn from_report(report: &SimReport) -> Self {
        let (frames, late_frames, worst) = pacing(&report.media_arrivals, RUN_GAP);
        Self {
            call_sid: report.call_sid.clone(),
            reply_ms: report
                .turns
                .iter()
                .filter_map(|t| t.latency_ms)
                .map(|l| l as f64)
                .collect(),
            greeting_ms: report.greeting_ms.map(|g| g as f64),
            barge_attempts: report.barge_attempts,
            barge_stop_ms: report.barge_stops_ms.iter().map(|&b| b as f64).collect(),
            overlaps: report.overlaps,
            overlap_stop_ms: report.overlap_stops_ms.iter().map(|&b| b as f64).collect(),
            frames,
            late_frames,
            worst_lateness_ms: worst,
            ..Self::default()
        }
    }

    /// A call that could not be placed or completed.
    pub fn failed(why: String) -> Self {
        Self {
            failed: Some(why),
            ..Self::default()
        }
    }
}

/// A gap this long between agent frames starts a new run of speech.
pub const RUN_GAP: Duration = Duration::from_millis(400);

/// The server process's resources during a round (from `/proc`).
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Resources {
    pub rss_idle_mb: f64,
    pub rss_peak_mb: f64,
    /// CPU time over wall time: 100 is one core busy.
    pub cpu_percent: f64,
}

/// A round of `calls` concurrent calls, or `repeats` such rounds pooled.
#[derive(Debug, Clone, Serialize)]
pub struct Round {
    pub label: String,
    pub calls: usize,
    /// Rounds pooled into these figures (their calls' figures taken together).
    pub repeats: usize,
    pub reply: Option<Spread>,
    pub greeting: Option<Spread>,
    pub barge_stop: Option<Spread>,
    pub barge_attempts: usize,
    /// The agent's audio over a line the caller had already begun, and how soon it stopped
    /// when it did: counted apart from barge-ins.
    pub overlaps: usize,
    pub overlap_stop: Option<Spread>,
    pub frames: usize,
    pub late_frames: usize,
    pub worst_lateness_ms: f64,
    pub available: Option<Spread>,
    pub wer: Option<f64>,
    pub failed: usize,
    pub resources: Option<Resources>,
    /// Where the replies' latency went, as the server noted it.
    pub breakdown: Option<Breakdown>,
    pub per_call: Vec<CallFigures>,
}

impl Round {
    /// The round's figures from its calls'.
    pub fn of(label: &str, per_call: Vec<CallFigures>, resources: Option<Resources>) -> Self {
        let all = |f: &dyn Fn(&CallFigures) -> Vec<f64>| -> Vec<f64> {
            per_call.iter().flat_map(f).collect()
        };
        let wers: Vec<f64> = per_call.iter().filter_map(|c| c.wer).collect();
        Self {
            label: label.to_string(),
            calls: per_call.len(),
            repeats: 1,
            reply: Spread::of(&all(&|c| c.reply_ms.clone())),
            greeting: Spread::of(&all(&|c| c.greeting_ms.into_iter().collect())),
            barge_stop: Spread::of(&all(&|c| c.barge_stop_ms.clone())),
            barge_attempts: per_call.iter().map(|c| c.barge_attempts).sum(),
            overlaps: per_call.iter().map(|c| c.overlaps).sum(),
            overlap_stop: Spread::of(&all(&|c| c.overlap_stop_ms.clone())),
            frames: per_call.iter().map(|c| c.frames).sum(),
            late_frames: per_call.iter().map(|c| c.late_frames).sum(),
            worst_lateness_ms: per_call
                .iter()
                .map(|c| c.worst_lateness_ms)
                .fold(0.0, f64::max),
            available: Spread::of(&all(&|c| c.available_ms.into_iter().collect())),
            wer: (!wers.is_empty()).then(|| wers.iter().sum::<f64>() / wers.len() as f64),
            failed: per_call.iter().filter(|c| c.failed.is_some()).count(),
            resources,
            breakdown: Breakdown::of(
                &per_call
                    .iter()
                    .flat_map(|c| c.timings.iter().copied())
                    .collect::<Vec<_>>(),
            ),
            per_call,
        }
    }

    /// Rounds of the same size against the same server taken as one: every call's figures
    /// pooled (so a figure a round gives once, like the barge-in stop, has enough samples for a
    /// p95); the memory's idle figure from the first round, its peak the highest, the CPU the
    /// mean. `None` without rounds.
    pub fn pooled(rounds: Vec<Round>) -> Option<Self> {
        let first = rounds.first()?;
        let (label, calls, repeats) = (first.label.clone(), first.calls, rounds.len());
        let samples: Vec<Resources> = rounds.iter().filter_map(|r| r.resources).collect();
        let resources = (samples.len() == rounds.len()).then(|| Resources {
            rss_idle_mb: samples[0].rss_idle_mb,
            rss_peak_mb: samples.iter().map(|r| r.rss_peak_mb).fold(0.0, f64::max),
            cpu_percent: samples.iter().map(|r| r.cpu_percent).sum::<f64>() / samples.len() as f64,
        });
        let per_call = rounds.into_iter().flat_map(|r| r.per_call).collect();
        let mut pooled = Self::of(&label, per_call, resources);
        pooled.calls = calls;
        pooled.repeats = repeats;
        Some(pooled)
    }

    /// The calls column: concurrent calls, and the rounds pooled when more than one.
    fn calls_cell(&self) -> String {
        if self.repeats > 1 {
            format!("{} ×{}", self.calls, self.repeats)
        } else {
            self.calls.to_string()
        }
    }
}

/// The rounds as a Markdown table, one row a round.
pub fn table(rounds: &[Round]) -> String {
    let ms = |s: &Option<Spread>| match s {
        Some(s) => format!("{:.0} / {:.0} / {:.0}", s.p50, s.p95, s.max),
        None => "–".into(),
    };
    let mut out = String::from(
        "| run | calls | reply p50 / p95 / max (ms) | greeting p50 / p95 / max | barge-in stop p50 / p95 / max (stopped) | frames late > 20 ms (worst) | available after hang-up p50 / p95 / max | caller WER | RSS idle → peak | CPU | failed |\n\
         | --- | ---: | --- | --- | --- | --- | --- | ---: | --- | ---: | ---: |\n",
    );
    for r in rounds {
        let res = match r.resources {
            Some(x) => (
                format!("{:.0} → {:.0} MB", x.rss_idle_mb, x.rss_peak_mb),
                format!("{:.0}%", x.cpu_percent),
            ),
            None => ("–".into(), "–".into()),
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} ({}/{}) | {} of {} ({:.0} ms) | {} | {} | {} | {} | {} |\n",
            r.label,
            r.calls_cell(),
            ms(&r.reply),
            ms(&r.greeting),
            ms(&r.barge_stop),
            r.barge_stop.map_or(0, |s| s.n),
            r.barge_attempts,
            r.late_frames,
            r.frames,
            r.worst_lateness_ms,
            ms(&r.available),
            r.wer
                .map(|w| format!("{:.1}%", w * 100.0))
                .unwrap_or("–".into()),
            res.0,
            res.1,
            r.failed,
        ));
    }
    out
}

/// Where the rounds' reply latency went (medians, as the server's conductor noted each reply),
/// one row a round.
pub fn breakdown_table(rounds: &[Round]) -> String {
    let mut out = String::from(
        "| run | calls | replies (ended at the pause) | endpoint wait p50 (after the whole silence) | whisper p50 (after the end) | dialog p50 | first sentence synthesised p50 | first frame sent p50 | server total p50 |\n\
         | --- | ---: | --- | --- | --- | ---: | ---: | ---: | ---: |\n",
    );
    for r in rounds {
        let Some(b) = r.breakdown else { continue };
        out.push_str(&format!(
            "| {} | {} | {} ({}) | {:.0} ({}) | {:.0} ({:.0}) | {:.0} | {:.0} | {:.0} | {:.0} |\n",
            r.label,
            r.calls_cell(),
            b.replies,
            b.ended_at_pause,
            b.endpoint_p50,
            b.endpoint_silence_p50
                .map_or("–".to_string(), |e| format!("{e:.0}")),
            b.stt_p50,
            b.stt_wait_p50,
            b.dialog_p50,
            b.voice_p50,
            b.send_p50,
            b.total_p50,
        ));
    }
    out
}

/// For each round played against both servers, the figures as ratios (now ÷ baseline):
/// below 1 is faster.
pub fn ratios(rounds: &[Round]) -> String {
    let mut out = String::new();
    for base in rounds.iter().filter(|r| r.label == "baseline") {
        let Some(now) = rounds
            .iter()
            .find(|r| r.label == "now" && r.calls == base.calls)
        else {
            continue;
        };
        let ratio = |a: Option<Spread>, b: Option<Spread>, f: fn(&Spread) -> f64| match (a, b) {
            (Some(a), Some(b)) if f(&b) > 0.0 => format!("{:.2}", f(&a) / f(&b)),
            _ => "–".into(),
        };
        out.push_str(&format!(
            "{} calls, now ÷ baseline: reply p50 {}, p95 {}; greeting p95 {}; available p95 {}\n",
            base.calls,
            ratio(now.reply, base.reply, |s| s.p50),
            ratio(now.reply, base.reply, |s| s.p95),
            ratio(now.greeting, base.greeting, |s| s.p95),
            ratio(now.available, base.available, |s| s.p95),
        ));
    }
    out
}

/// The rounds where the agent's audio came over a line the caller had already begun (a turn
/// ended before the caller finished, or the agent went on after a gap): one line each, since
/// these are not barge-ins and the barge-in stop leaves them out. Empty when there were none.
pub fn overlaps(rounds: &[Round]) -> String {
    let mut out = String::new();
    for r in rounds.iter().filter(|r| r.overlaps > 0) {
        let stopped = match r.overlap_stop {
            Some(s) => format!(
                "stopped {} times, after {:.0} / {:.0} / {:.0} ms (p50 / p95 / max)",
                s.n, s.p50, s.p95, s.max
            ),
            None => "the server never stopped for them".into(),
        };
        out.push_str(&format!(
            "{} calls ({}): the agent's audio came over a caller already speaking {} time{}; {stopped} (not barge-ins)\n",
            r.calls_cell(),
            r.label,
            r.overlaps,
            if r.overlaps == 1 { "" } else { "s" },
        ));
    }
    out
}

/// Resident memory (MB) and CPU time (seconds) of a process and its descendants (the voice
/// worker is a child of the server), from `/proc`.
pub fn process_sample(pid: u32) -> Option<(f64, f64)> {
    let (mut rss, mut cpu) = own_sample(pid)?;
    let mut parents = vec![pid];
    while let Some(parent) = parents.pop() {
        for child in children(parent) {
            if let Some((r, c)) = own_sample(child) {
                rss += r;
                cpu += c;
            }
            parents.push(child);
        }
    }
    Some((rss, cpu))
}

/// One process's (RSS MB, CPU seconds).
fn own_sample(pid: u32) -> Option<(f64, f64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let rss_kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    let fields = stat_fields(pid)?;
    let ticks = |k: usize| fields.get(k)?.parse::<f64>().ok();
    // utime and stime (fields 14 and 15 of stat: indices 11 and 12 after the state), in
    // USER_HZ, 100 a second on every common architecture.
    let cpu = (ticks(11)? + ticks(12)?) / 100.0;
    Some((rss_kb / 1024.0, cpu))
}

/// The fields of `/proc/PID/stat` after the command name (which may hold spaces), from the
/// state (field 3) on.
fn stat_fields(pid: u32) -> Option<Vec<String>> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = stat.rsplit_once(')')?.1;
    Some(rest.split_whitespace().map(str::to_string).collect())
}

/// The processes whose parent is `pid`.
fn children(pid: u32) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return vec![];
    };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&p| stat_fields(p).and_then(|f| f.get(1)?.parse::<u32>().ok()) == Some(pid))
        .collect()
}

/// One round: `calls` calls placed at once, call k playing `scripts[k % len]`, then each
/// followed until the server has finished with it. `pid` is the server's process, when it runs
/// on this machine.
pub async fn run_round(
    label: &str,
    calls: usize,
    scripts: &[Vec<Step>],
    voice: Arc<dyn TtsEngine>,
    opts: &SimOptions,
    pid: Option<u32>,
) -> Round {
    let idle = pid.and_then(process_sample);
    let sampling = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let sampler = pid.map(|pid| {
        let sampling = sampling.clone();
        tokio::spawn(async move {
            let mut peak: f64 = 0.0;
            while sampling.load(std::sync::atomic::Ordering::Relaxed) {
                if let Some((rss, _)) = process_sample(pid) {
                    peak = peak.max(rss);
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            peak
        })
    });
    let started = Instant::now();
    let mut tasks = Vec::new();
    for k in 0..calls {
        let steps = scripts[k % scripts.len()].clone();
        let voice = voice.clone();
        let mut opts = opts.clone();
        // The log is read below, after the availability check, not by the call itself.
        let api_token = opts.api_token.take();
        opts.from = format!("+1617555{:04}", 2000 + k);
        opts.print = false;
        tasks.push(tokio::spawn(async move {
            // Calls ring in a little apart, as they do.
            tokio::time::sleep(Duration::from_millis(150 * k as u64)).await;
            let report = match super::place_call(&opts, &steps, voice, None).await {
                Ok(r) => r,
                Err(e) => return CallFigures::failed(e.to_string()),
            };
            let hung_up = Instant::now();
            let mut figures = CallFigures::from_report(&report);
            if let Some(token) = api_token {
                match await_availability(&opts.server, &token, &report.call_sid).await {
                    Ok(log) => {
                        figures.available_ms = Some(hung_up.elapsed().as_secs_f64() * 1000.0);
                        figures.wer = word_error_rate(&script_words(&steps), &caller_text(&log));
                        figures.timings = reply_timings(&log);
                    }
                    Err(why) => figures.failed = Some(why),
                }
            }
            figures
        }));
    }
    let mut per_call = Vec::new();
    for t in tasks {
        per_call.push(
            t.await
                .unwrap_or_else(|e| CallFigures::failed(format!("the call task failed: {e}"))),
        );
    }
    let wall = started.elapsed().as_secs_f64();
    sampling.store(false, std::sync::atomic::Ordering::Relaxed);
    let peak = match sampler {
        Some(s) => s.await.ok(),
        None => None,
    };
    let end = pid.and_then(process_sample);
    let resources = match (idle, end, peak) {
        (Some((rss0, cpu0)), Some((_, cpu1)), Some(peak)) => Some(Resources {
            rss_idle_mb: rss0,
            rss_peak_mb: peak,
            cpu_percent: (cpu1 - cpu0) / wall * 100.0,
        }),
        _ => None,
    };
    Round::of(label, per_call, resources)
}

/// A `frontdesk serve` started for a benchmark: its own port, a scratch database and
/// recordings folder, killed when dropped.
pub struct BenchServer {
    child: std::process::Child,
    pub url: String,
    pub api_token: String,
    pub pid: u32,
    scratch: tempfile::TempDir,
}

impl BenchServer {
    /// Starts `exe serve` (with `config`, if given, and `env` on top of this process's
    /// environment) and waits up to two minutes for it to answer `/healthz`.
    pub async fn start(
        exe: &std::path::Path,
        config: Option<&std::path::Path>,
        env: &[(String, String)],
    ) -> Result<Self, String> {
        let scratch = tempfile::tempdir().map_err(|e| format!("a scratch folder: {e}"))?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("a free port: {e}"))?
            .port();
        let api_token = "bench-token".to_string();
        let mut cmd = std::process::Command::new(exe);
        if let Some(c) = config {
            cmd.arg("--config").arg(c);
        }
        let log = std::fs::File::create(scratch.path().join("server.log"))
            .map_err(|e| format!("the server's log: {e}"))?;
        cmd.arg("serve")
            .env("FRONTDESK_LISTEN", format!("127.0.0.1:{port}"))
            .env_remove("FRONTDESK_PUBLIC_URL")
            .env_remove("FRONTDESK_TWILIO_AUTH_TOKEN")
            .env(
                "FRONTDESK_DATABASE_URL",
                format!("sqlite://{}/bench.db", scratch.path().display()),
            )
            .env("FRONTDESK_RECORDINGS", scratch.path().join("recordings"))
            .env("FRONTDESK_API_TOKEN", &api_token)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdout(std::process::Stdio::null())
            .stderr(log);
        let child = cmd
            .spawn()
            .map_err(|e| format!("starting {}: {e}", exe.display()))?;
        let mut server = Self {
            pid: child.id(),
            child,
            url: format!("http://127.0.0.1:{port}"),
            api_token,
            scratch,
        };
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(120);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = server.child.try_wait() {
                return Err(format!(
                    "the server exited ({status}); its log:\n{}",
                    server.log()
                ));
            }
            let up = client.get(format!("{}/healthz", server.url)).send().await;
            if up.is_ok_and(|r| r.status().is_success()) {
                return Ok(server);
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        Err(format!(
            "the server did not answer in 2 minutes; its log:\n{}",
            server.log()
        ))
    }

    /// The server's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.scratch.path().join("server.log")).unwrap_or_default()
    }
}

impl Drop for BenchServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the server stored of the caller's side of a call, as one text.
fn caller_text(log: &serde_json::Value) -> String {
    let Some(turns) = log.get("turns").and_then(|t| t.as_array()) else {
        return String::new();
    };
    turns
        .iter()
        .filter(|t| t.get("speaker").and_then(|s| s.as_str()) == Some("caller"))
        .filter_map(|t| t.get("text").and_then(|s| s.as_str()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Waits until the server has finished with a call that ended: closed in the log, its
/// recording served, every notification delivered, given up or held for the digest. Returns
/// the call's log; an error after 30 s.
async fn await_availability(
    server: &str,
    token: &str,
    call_sid: &str,
) -> Result<serde_json::Value, String> {
    let client = reqwest::Client::new();
    let server = server.trim_end_matches('/');
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut last = String::from("never answered");
    while Instant::now() < deadline {
        let log = client
            .get(format!("{server}/api/calls/{call_sid}"))
            .bearer_auth(token)
            .send()
            .await;
        let log: Option<serde_json::Value> = match log {
            Ok(r) if r.status().is_success() => r.json().await.ok(),
            Ok(r) => {
                last = format!("the call log answered {}", r.status());
                None
            }
            Err(e) => {
                last = e.to_string();
                None
            }
        };
        if let Some(log) = log {
            let closed = log.get("ended_at").is_some_and(|e| !e.is_null());
            let settled = log
                .get("notifications")
                .and_then(|n| n.as_array())
                .is_none_or(|ns| {
                    ns.iter().all(|n| {
                        n.get("status").and_then(|s| s.as_str()) != Some("pending")
                            || n.get("digest").and_then(|d| d.as_bool()) == Some(true)
                    })
                });
            let recorded = closed
                && client
                    .get(format!("{server}/api/calls/{call_sid}/recording.wav"))
                    .bearer_auth(token)
                    .send()
                    .await
                    .is_ok_and(|r| r.status().is_success());
            if closed && settled && recorded {
                return Ok(log);
            }
            last = format!("closed {closed}, notifications settled {settled}, recorded {recorded}");
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    Err(format!(
        "the server had not finished with the call after 30 s ({last})"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_timing_note_is_read_back_and_summed_up() {
        let t = ReplyTiming::parse(
            "end=pause endpoint_ms=280 stt_ms=310 stt_wait_ms=30 dialog_ms=0 voice_ms=150 send_ms=20 total_ms=480",
        )
        .unwrap();
        assert!(t.at_pause);
        assert_eq!(
            (t.endpoint_ms, t.stt_ms, t.stt_wait_ms),
            (280.0, 310.0, 30.0)
        );
        assert_eq!((t.voice_ms, t.send_ms, t.total_ms), (150.0, 20.0, 480.0));
        let slow = ReplyTiming::parse(
            "end=silence endpoint_ms=1100 stt_ms=400 stt_wait_ms=400 dialog_ms=0 voice_ms=200 send_ms=0 total_ms=1700",
        )
        .unwrap();
        assert!(!slow.at_pause);
        for bad in ["", "end=later endpoint_ms=1", "end=pause endpoint_ms=x"] {
            assert_eq!(ReplyTiming::parse(bad), None, "{bad}");
        }
        let b = Breakdown::of(&[t, slow, slow]).unwrap();
        assert_eq!((b.replies, b.ended_at_pause), (3, 1));
        assert_eq!(
            (b.endpoint_p50, b.endpoint_silence_p50),
            (1100.0, Some(1100.0))
        );
        assert_eq!(Breakdown::of(&[]).map(|b| b.replies), None);
    }

    #[test]
    fn spreads_use_nearest_rank() {
        let v: Vec<f64> = (1..=20).map(f64::from).collect();
        let s = Spread::of(&v).unwrap();
        assert_eq!((s.n, s.p50, s.p95, s.max), (20, 10.0, 19.0, 20.0));
        assert_eq!(Spread::of(&[7.0]).unwrap().p95, 7.0);
        assert!(Spread::of(&[]).is_none());
    }

    #[test]
    fn pacing_counts_frames_behind_real_time() {
        let t0 = Instant::now();
        let at = |ms: u64| t0 + Duration::from_millis(ms);
        // On time, then a 60 ms stall (three frames late by 40 ms), then a new run after a pause.
        let arrivals = [
            at(0),
            at(20),
            at(40),
            at(120),
            at(140),
            at(160),
            at(2000),
            at(2020),
        ];
        let (frames, late, worst) = pacing(&arrivals, RUN_GAP);
        assert_eq!((frames, late), (8, 3));
        assert!((worst - 60.0).abs() < 1.0, "{worst}");
        // A burst ahead of time is never late.
        let burst = [at(0), at(0), at(0), at(20), at(60), at(80)];
        assert_eq!(pacing(&burst, RUN_GAP).1, 0);
    }

    #[test]
    fn the_error_rate_counts_words_and_reads_numbers_as_digits() {
        assert_eq!(
            word_error_rate("Yes, that's right.", "yes that's right"),
            Some(0.0)
        );
        assert_eq!(
            word_error_rate("call me on 555 0144", "Call me on 5550144."),
            Some(0.0)
        );
        let w = word_error_rate("Lee, L. E. E.", "Lee, L-E-E.").unwrap();
        assert!(w > 0.0, "{w}");
        assert_eq!(
            word_error_rate("one two three four", "one three four five"),
            Some(0.5)
        );
        assert_eq!(word_error_rate("", "anything"), None);
    }

    #[test]
    fn a_round_adds_up_its_calls() {
        let a = CallFigures {
            reply_ms: vec![100.0, 300.0],
            frames: 10,
            late_frames: 1,
            wer: Some(0.1),
            ..CallFigures::default()
        };
        let mut b = a.clone();
        b.reply_ms = vec![200.0];
        b.wer = Some(0.3);
        let r = Round::of(
            "now",
            vec![a, b, CallFigures::failed("refused".into())],
            None,
        );
        assert_eq!((r.calls, r.failed, r.frames, r.late_frames), (3, 1, 20, 2));
        assert_eq!(r.reply.unwrap().p50, 200.0);
        assert!((r.wer.unwrap() - 0.2).abs() < 1e-9);
        assert!(table(std::slice::from_ref(&r)).contains("| now | 3 |"));
        let mut base = r.clone();
        base.label = "baseline".into();
        base.reply = Spread::of(&[400.0]);
        assert!(
            ratios(&[base, r]).contains("reply p50 0.50"),
            "ratio of 200 to 400"
        );
    }

    #[test]
    fn repeated_rounds_pool_their_calls_into_one_row() {
        let call = |stop: f64, overlap: Option<f64>| CallFigures {
            reply_ms: vec![stop * 2.0],
            barge_attempts: 1,
            barge_stop_ms: vec![stop],
            overlaps: overlap.iter().count(),
            overlap_stop_ms: overlap.into_iter().collect(),
            ..CallFigures::default()
        };
        let round = |stops: [f64; 2], peak: f64, cpu: f64| {
            let calls = vec![call(stops[0], None), call(stops[1], Some(300.0))];
            let res = Resources {
                rss_idle_mb: peak - 10.0,
                rss_peak_mb: peak,
                cpu_percent: cpu,
            };
            Round::of("now", calls, Some(res))
        };
        let rounds: Vec<Round> = (0..10)
            .map(|k| round([100.0 + k as f64, 150.0], 400.0 + k as f64, 50.0))
            .collect();
        let one = rounds[0].clone();
        assert_eq!((one.calls, one.repeats, one.overlaps), (2, 1, 1));
        let pooled = Round::pooled(rounds).unwrap();
        // Two concurrent calls, ten rounds: twenty barge-in stops, the overlaps apart.
        assert_eq!((pooled.calls, pooled.repeats), (2, 10));
        let stops = pooled.barge_stop.unwrap();
        assert_eq!((stops.n, stops.p50, stops.p95), (20, 109.0, 150.0));
        assert_eq!(pooled.barge_attempts, 20);
        assert_eq!(pooled.overlaps, 10);
        assert_eq!(pooled.overlap_stop.unwrap().max, 300.0);
        let res = pooled.resources.unwrap();
        assert_eq!((res.rss_idle_mb, res.rss_peak_mb), (390.0, 409.0));
        assert!((res.cpu_percent - 50.0).abs() < 1e-9);
        let t = table(std::slice::from_ref(&pooled));
        assert!(t.contains("| now | 2 ×10 |"), "{t}");
        assert!(t.contains("(20/20)"), "{t}");
        let o = overlaps(&[one, pooled]);
        assert_eq!(o.lines().count(), 2, "{o}");
        assert!(
            o.contains("2 ×10 calls (now)") && o.contains("10 times"),
            "{o}"
        );
        assert!(Round::pooled(Vec::new()).is_none());
    }

    #[test]
    fn overlaps_are_counted_apart_from_barge_ins() {
        let barge = CallFigures {
            barge_attempts: 1,
            barge_stop_ms: vec![140.0],
            ..CallFigures::default()
        };
        let overlap = CallFigures {
            overlaps: 1,
            overlap_stop_ms: vec![320.0],
            ..CallFigures::default()
        };
        let r = Round::of("now", vec![barge, overlap], None);
        assert_eq!((r.barge_attempts, r.overlaps), (1, 1));
        assert_eq!(r.barge_stop.unwrap().max, 140.0);
        assert_eq!(r.overlap_stop.unwrap().max, 320.0);
        assert!(table(std::slice::from_ref(&r)).contains("140 / 140 / 140 (1/1)"));
        let o = overlaps(std::slice::from_ref(&r));
        assert!(o.contains("2 calls (now)") && o.contains("1 time;"), "{o}");
        assert_eq!(overlaps(&[Round::of("now", vec![], None)]), "");
    }

    #[test]
    fn a_process_is_sampled_with_its_children() {
        // A shell whose child sleeps: the shell's sample holds both.
        let mut shell = std::process::Command::new("sh")
            .args(["-c", "sleep 5 & wait"])
            .spawn()
            .unwrap();
        let pid = shell.id();
        let mut kids = vec![];
        for _ in 0..50 {
            kids = children(pid);
            // Sampled once the child is `sleep`, not the shell's fork on its way there.
            let comm = |p: u32| std::fs::read_to_string(format!("/proc/{p}/comm"));
            if kids.len() == 1 && comm(kids[0]).is_ok_and(|c| c.trim() == "sleep") {
                std::thread::sleep(Duration::from_millis(50));
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let own = own_sample(pid).expect("/proc is readable");
        let kid = own_sample(kids[0]).expect("the child is running");
        let all = process_sample(pid).unwrap();
        let _ = std::process::Command::new("kill")
            .arg(kids[0].to_string())
            .status();
        let _ = shell.kill();
        let _ = shell.wait();
        assert_eq!(kids.len(), 1);
        assert!(
            (all.0 - (own.0 + kid.0)).abs() < 0.5,
            "{all:?} {own:?} {kid:?}"
        );
    }
}
