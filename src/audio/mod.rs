//! Audio: G.711 µ-law, resampling, voice activity detection and endpointing, the echo guard,
//! steady line noise for tests and measurements,
//! and the two-leg call recording.
//!
//! **Architecture Invariant:** everything here is sans-IO and frame-driven (except
//! [`recorder`], which writes one WAV file); nothing here knows about providers or dialog.

pub mod g711;
pub mod noise;
pub mod recorder;
pub mod resample;
pub mod vad;

use std::collections::VecDeque;

/// Samples in one 20 ms frame at 8 kHz.
pub const LINE_FRAME: usize = 160;

/// The line rate.
pub const LINE_RATE: u32 = 8_000;

/// Tracks how loud the agent's own voice has recently been on the line, so the caller's side
/// can be checked against it: the agent's echo comes back quieter than it went out, a caller
/// who barges in is not quieter than that echo could be.
#[derive(Debug, Clone)]
pub struct EchoGuard {
    recent: VecDeque<f32>,
    window: usize,
    margin_db: f32,
}

impl EchoGuard {
    /// `window_ms` of outgoing history is kept; `margin_db` is added to the loudest recent
    /// outgoing frame (negative: echo is at least that much quieter).
    pub fn new(window_ms: u32, margin_db: f32) -> Self {
        let window = (window_ms / vad::FRAME_MS).max(1) as usize;
        Self {
            recent: VecDeque::with_capacity(window),
            window,
            margin_db,
        }
    }

    /// Notes the level of one outgoing 20 ms frame (silence when the agent is quiet).
    pub fn outgoing(&mut self, level_db: f32) {
        if self.recent.len() == self.window {
            self.recent.pop_front();
        }
        self.recent.push_back(level_db);
    }

    /// The level the caller must beat, or `None` when the agent has been quiet.
    pub fn guard_db(&self) -> Option<f32> {
        let loudest = self.recent.iter().copied().fold(-100.0f32, f32::max);
        (loudest > -60.0).then_some(loudest + self.margin_db)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guard_follows_the_agents_voice() {
        let mut g = EchoGuard::new(100, -12.0);
        assert_eq!(g.guard_db(), None);
        g.outgoing(-10.0);
        assert_eq!(g.guard_db(), Some(-22.0));
        for _ in 0..5 {
            g.outgoing(-100.0);
        }
        assert_eq!(g.guard_db(), None);
    }
}
