//! Steady line noise of the kinds a phone line carries, made deterministically (a fixed seed),
//! so a test or a measurement on a noisy line hears the same noise every run.

use super::vad::level_dbfs;

/// A kind of steady noise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineNoise {
    /// Flat hiss, as the simulated caller's `line_noise_dbfs` adds it.
    White,
    /// Hiss falling 3 dB an octave.
    Pink,
    /// Mains hum (60 Hz) with odd harmonics.
    Hum,
}

impl LineNoise {
    /// Its name, for tables.
    pub fn as_str(self) -> &'static str {
        match self {
            LineNoise::White => "white",
            LineNoise::Pink => "pink",
            LineNoise::Hum => "hum",
        }
    }
}

/// `n` samples of `kind` noise at 8 kHz whose RMS level is `dbfs`.
pub fn line_noise(kind: LineNoise, n: usize, dbfs: f32) -> Vec<f32> {
    let mut seed = 0x5eed_u32;
    let mut white = move || {
        seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        (seed >> 8) as f32 / (1u32 << 24) as f32 * 2.0 - 1.0
    };
    let raw: Vec<f32> = match kind {
        LineNoise::White => (0..n).map(|_| white()).collect(),
        LineNoise::Pink => {
            // Paul Kellet's economy pink filter.
            let (mut b0, mut b1, mut b2) = (0.0f32, 0.0f32, 0.0f32);
            (0..n)
                .map(|_| {
                    let w = white();
                    b0 = 0.99765 * b0 + w * 0.099_046;
                    b1 = 0.96300 * b1 + w * 0.296_516_4;
                    b2 = 0.57000 * b2 + w * 1.052_691_3;
                    b0 + b1 + b2 + w * 0.1848
                })
                .collect()
        }
        LineNoise::Hum => (0..n)
            .map(|i| {
                let t = i as f32 / 8_000.0;
                let w = 2.0 * std::f32::consts::PI * 60.0 * t;
                w.sin() + 0.6 * (3.0 * w).sin() + 0.4 * (5.0 * w).sin()
            })
            .collect(),
    };
    let gain = 10f32.powf((dbfs - level_dbfs(&raw)) / 20.0);
    raw.into_iter().map(|x| x * gain).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise_has_the_level_asked_for() {
        for kind in [LineNoise::White, LineNoise::Pink, LineNoise::Hum] {
            let n = line_noise(kind, 16_000, -45.0);
            assert!((level_dbfs(&n) + 45.0).abs() < 0.01, "{kind:?}");
        }
    }
}
