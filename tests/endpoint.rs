//! The endpointer on a bad line: natural speech (the hibari voice) with steady line noise mixed
//! in over the µ-law line, fed frame by frame. The turn must end promptly after the caller stops
//! and never in the middle of a sentence. Frames are counted; no wall clock is involved.

mod common;

use frontdesk::audio::noise::{line_noise, LineNoise as Noise};
use frontdesk::audio::vad::{level_dbfs, Endpoint, Endpointer, VadConfig, FRAME_MS};
use frontdesk::audio::{g711, resample, LINE_FRAME};
use frontdesk::speech::tts;

/// What the endpointer made of one clip, in frames.
#[derive(Debug)]
struct Run {
    /// Frames at which an utterance started and ended.
    starts: Vec<usize>,
    ends: Vec<usize>,
    /// Length of each ended utterance's audio, frames.
    lens: Vec<usize>,
}

/// `lead` frames of noise, the speech, `tail` frames of noise, all over the µ-law line.
fn run(speech: &[f32], kind: Noise, dbfs: f32, lead: usize, tail: usize) -> Run {
    let mut clip = vec![0.0f32; lead * LINE_FRAME];
    clip.extend_from_slice(speech);
    clip.extend(vec![0.0f32; tail * LINE_FRAME]);
    let n = line_noise(kind, clip.len(), dbfs);
    let line: Vec<f32> = g711::decode_to_f32(&g711::encode_from_f32(
        &clip.iter().zip(&n).map(|(s, z)| s + z).collect::<Vec<_>>(),
    ));
    let wide = resample::resample(&line, 8_000, 16_000).unwrap();
    let mut ep = Endpointer::new(VadConfig::default());
    let mut out = Run {
        starts: Vec::new(),
        ends: Vec::new(),
        lens: Vec::new(),
    };
    for (i, frame) in line.chunks_exact(LINE_FRAME).enumerate() {
        let w = wide.get(i * 320..(i + 1) * 320).unwrap_or(&[]);
        match ep.push(frame, w, None) {
            Some(Endpoint::Started) => out.starts.push(i),
            Some(Endpoint::Ended(u)) => {
                out.ends.push(i);
                out.lens.push(u.audio.len() / 320);
            }
            // Pauses leave the utterance open; its end is what these tests measure.
            Some(Endpoint::Paused(_)) | None => {}
        }
    }
    out
}

/// The first and last frames of the clean speech that carry words (within 30 dB of its
/// loudest: the last consonant, not the breath and room tail after it).
fn speech_span(speech: &[f32]) -> (usize, usize) {
    let levels: Vec<f32> = speech.chunks(LINE_FRAME).map(level_dbfs).collect();
    let peak = levels.iter().copied().fold(-100.0f32, f32::max);
    let first = levels.iter().position(|l| *l > peak - 30.0).unwrap_or(0);
    let last = levels.iter().rposition(|l| *l > peak - 30.0).unwrap_or(0);
    (first, last)
}

#[test]
fn line_noise_does_not_hold_the_turn_open() {
    let voice = common::caller_voice();
    let sentences = [
        "I'd like to leave a message for Alex.",
        "Hello, this is Jordan Lee, and I'm calling about the meeting on Thursday at two.",
    ];
    let cfg = VadConfig::default();
    let silence = (cfg.end_silence_ms / FRAME_MS) as usize;
    // The endpointer needs its silence after the last word; allow it 200 ms more.
    let margin = (200 / FRAME_MS) as usize;
    let (lead, tail) = (150, 150);
    let mut failures = Vec::new();
    let mut table = Vec::new();
    for text in sentences {
        let speech = g711::decode_to_f32(&tts::speak_line(voice.as_ref(), text).unwrap());
        let (first, last) = speech_span(&speech);
        let (first, last) = (lead + first, lead + last);
        for kind in [Noise::White, Noise::Pink, Noise::Hum] {
            for db in [-50.0f32, -45.0, -42.0, -40.0] {
                let r = run(&speech, kind, db, lead, tail);
                let case = format!("{kind:?} noise at {db} dBFS, {text:?}");
                let delay = r
                    .ends
                    .first()
                    .map(|e| (*e as i64 - last as i64) * FRAME_MS as i64);
                table.push(format!(
                    "{case}: end {delay:?} ms after the last word, {r:?}"
                ));
                if r.starts.len() != 1 || r.ends.len() != 1 {
                    failures.push(format!("{case}: want one utterance, got {r:?}"));
                    continue;
                }
                let (start, end) = (r.starts[0], r.ends[0]);
                if start > first + 10 {
                    failures.push(format!("{case}: started at {start}, speech at {first}"));
                }
                // Not cut mid-sentence: the utterance's audio, which keeps 200 ms of the
                // silence that ended it, runs past the last word (a final consonant under the
                // noise may be too faint to count as speech, but it is not lost).
                let audio_end = end + 1 - (silence - (200 / FRAME_MS) as usize);
                if audio_end <= last {
                    failures.push(format!(
                        "{case}: ended at {end}, its audio stops at {audio_end}, before the last word at {last}"
                    ));
                }
                if end > last + silence + margin {
                    failures.push(format!(
                        "{case}: ended at {end}, {} ms after the last word (allowed {} ms)",
                        (end - last) * FRAME_MS as usize,
                        (silence + margin) * FRAME_MS as usize
                    ));
                }
                // The utterance holds the whole sentence.
                if r.lens[0] < last - first {
                    failures.push(format!(
                        "{case}: utterance {} frames, speech {}",
                        r.lens[0],
                        last - first
                    ));
                }
            }
        }
    }
    eprintln!("{}", table.join("\n"));
    assert!(failures.is_empty(), "{failures:#?}");
}
