//! Sample-rate conversion with rubato's FFT resampler.
//!
//! [`StreamResampler`] converts a live stream chunk by chunk (the caller's 8 kHz audio to the
//! 16 kHz whisper wants); [`resample`] converts a whole clip (a TTS sentence to 8 kHz), trimming
//! the filter delay so the output lines up with the input.

use rubato::{FftFixedIn, Resampler};

/// Errors from building or running a resampler.
#[derive(Debug, thiserror::Error)]
pub enum ResampleError {
    #[error("cannot build a resampler from {from} Hz to {to} Hz: {reason}")]
    Construction { from: u32, to: u32, reason: String },
    #[error("resampling failed: {0}")]
    Process(String),
}

/// A streaming mono resampler: push any number of samples, get whatever output is ready.
pub struct StreamResampler {
    inner: FftFixedIn<f32>,
    pending: Vec<f32>,
    chunk: usize,
}

impl StreamResampler {
    /// A resampler from `from` Hz to `to` Hz that processes `chunk` input samples at a time.
    pub fn new(from: u32, to: u32, chunk: usize) -> Result<Self, ResampleError> {
        let inner =
            FftFixedIn::<f32>::new(from as usize, to as usize, chunk, 1, 1).map_err(|e| {
                ResampleError::Construction {
                    from,
                    to,
                    reason: e.to_string(),
                }
            })?;
        Ok(Self {
            inner,
            pending: Vec::with_capacity(chunk * 2),
            chunk,
        })
    }

    /// The resampler the call pipeline uses: 8 kHz telephone audio to 16 kHz, 20 ms at a time.
    pub fn telephone_to_whisper() -> Result<Self, ResampleError> {
        Self::new(8_000, 16_000, 160)
    }

    /// Feeds samples; appends every completed output chunk to `out`.
    pub fn push(&mut self, samples: &[f32], out: &mut Vec<f32>) -> Result<(), ResampleError> {
        self.pending.extend_from_slice(samples);
        let mut start = 0;
        while self.pending.len() - start >= self.chunk {
            let block = &self.pending[start..start + self.chunk];
            let res = self
                .inner
                .process(&[block], None)
                .map_err(|e| ResampleError::Process(e.to_string()))?;
            out.extend_from_slice(&res[0]);
            start += self.chunk;
        }
        self.pending.drain(..start);
        Ok(())
    }
}

/// Resamples a whole mono clip from `from` Hz to `to` Hz. The output has
/// `round(len * to / from)` samples, aligned with the input (the filter delay is removed).
pub fn resample(samples: &[f32], from: u32, to: u32) -> Result<Vec<f32>, ResampleError> {
    if from == to || samples.is_empty() {
        return Ok(samples.to_vec());
    }
    let chunk = 1024;
    let mut rs = FftFixedIn::<f32>::new(from as usize, to as usize, chunk, 2, 1).map_err(|e| {
        ResampleError::Construction {
            from,
            to,
            reason: e.to_string(),
        }
    })?;
    let expected = (samples.len() as u64 * to as u64 + from as u64 / 2) / from as u64;
    let delay = rs.output_delay();
    let mut out = Vec::with_capacity(expected as usize + delay + chunk * 4);
    let err = |e: rubato::ResampleError| ResampleError::Process(e.to_string());
    let mut blocks = samples.chunks_exact(chunk);
    for block in blocks.by_ref() {
        out.extend_from_slice(&rs.process(&[block], None).map_err(err)?[0]);
    }
    let tail = blocks.remainder();
    if !tail.is_empty() {
        out.extend_from_slice(&rs.process_partial(Some(&[tail]), None).map_err(err)?[0]);
    }
    // Flush with silence until the clip's end is out. Between two rates with no common factor
    // (a voice slowed to 22 050 × 0.85 Hz) the FFT block spans up to a second of input, so
    // several flushes in a row can return nothing before the next block comes out: stop only
    // after more empty flushes than a whole block takes.
    let patience = from as usize / chunk + 8;
    let mut empty = 0;
    while out.len() < delay + expected as usize && empty <= patience {
        let flushed = rs.process_partial::<Vec<f32>>(None, None).map_err(err)?;
        empty = if flushed[0].is_empty() { empty + 1 } else { 0 };
        out.extend_from_slice(&flushed[0]);
    }
    let end = (delay + expected as usize).min(out.len());
    Ok(out[delay.min(end)..end].to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sine(freq: f32, rate: u32, n: usize) -> Vec<f32> {
        (0..n)
            .map(|i| (2.0 * std::f32::consts::PI * freq * i as f32 / rate as f32).sin() * 0.5)
            .collect()
    }

    #[test]
    fn whole_clip_has_the_expected_length_and_energy() {
        let input = sine(440.0, 24_000, 24_000);
        let out = resample(&input, 24_000, 8_000).unwrap();
        assert_eq!(out.len(), 8_000);
        let rms = |x: &[f32]| (x.iter().map(|s| s * s).sum::<f32>() / x.len() as f32).sqrt();
        assert!((rms(&out[100..7900]) - rms(&input)).abs() < 0.02);
    }

    #[test]
    fn whole_clip_is_aligned_with_its_input() {
        // A click at 0.5 s must stay at 0.5 s.
        let mut input = vec![0.0f32; 22_050];
        for s in &mut input[11_025..11_045] {
            *s = 0.9;
        }
        let out = resample(&input, 22_050, 8_000).unwrap();
        let peak = out
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()))
            .map(|(i, _)| i)
            .unwrap();
        assert!((peak as i64 - 4_000).abs() < 10, "peak at {peak}");
    }

    #[test]
    fn odd_rates_keep_the_whole_clip() {
        // A voice slowed or sped up by declaring another rate (22 050 × 0.85, 0.95, 1.1, 1.2):
        // its last second must arrive, with its energy, not only its length.
        let rms = |x: &[f32]| (x.iter().map(|s| s * s).sum::<f32>() / x.len() as f32).sqrt();
        for from in [18_743, 20_948, 22_050, 24_000, 24_255, 26_460] {
            let input = sine(300.0, from, from as usize * 3);
            let out = resample(&input, from, 8_000).unwrap();
            assert_eq!(out.len(), 24_000, "from {from} Hz");
            let last = rms(&out[16_000..23_900]);
            assert!(
                last > 0.3,
                "from {from} Hz the last second's level is {last}"
            );
        }
    }

    proptest! {
        #[test]
        fn streaming_drops_nothing(chunks in proptest::collection::vec(0usize..700, 1..40)) {
            let mut rs = StreamResampler::telephone_to_whisper().unwrap();
            let total: usize = chunks.iter().sum();
            let signal = sine(300.0, 8_000, total);
            let mut out = Vec::new();
            let mut fed = 0;
            for n in chunks {
                let before = out.len();
                rs.push(&signal[fed..fed + n], &mut out).unwrap();
                fed += n;
                // Each completed 20 ms input chunk yields 20 ms of 16 kHz output: 320 samples.
                prop_assert_eq!((out.len() - before) % 320, 0);
            }
            prop_assert_eq!(out.len(), total / 160 * 320);
            prop_assert!(out.iter().all(|s| s.is_finite()));
        }

        #[test]
        fn clips_of_any_length_resample(n in 1usize..5000, from in prop::sample::select(vec![8_000u32, 16_000, 18_743, 22_050, 24_000, 26_460])) {
            let input = sine(200.0, from, n);
            let out = resample(&input, from, 8_000).unwrap();
            let expected = (n as u64 * 8_000 + from as u64 / 2) / from as u64;
            prop_assert_eq!(out.len() as u64, expected);
        }
    }
}
