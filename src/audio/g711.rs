//! G.711 µ-law: the telephone network's 8-bit companding of 14-bit linear PCM (ITU-T G.711).
//!
//! Decoding uses the standard 256-entry table, computed at compile time; encoding uses the
//! standard segment search with the 0x84 bias.

const BIAS: i32 = 0x84;
const CLIP: i32 = 32635;

const fn decode_one(byte: u8) -> i16 {
    let u = !byte;
    let sign = u & 0x80;
    let exponent = ((u >> 4) & 0x07) as i32;
    let mantissa = (u & 0x0F) as i32;
    let magnitude = (((mantissa << 3) + BIAS) << exponent) - BIAS;
    if sign != 0 {
        -magnitude as i16
    } else {
        magnitude as i16
    }
}

const fn build_table() -> [i16; 256] {
    let mut table = [0i16; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = decode_one(i as u8);
        i += 1;
    }
    table
}

/// The µ-law → linear table (ITU-T G.711).
pub const DECODE_TABLE: [i16; 256] = build_table();

/// The µ-law code of digital silence.
pub const SILENCE: u8 = 0xFF;

/// One µ-law byte to a 16-bit linear sample.
#[inline]
pub fn decode(byte: u8) -> i16 {
    DECODE_TABLE[byte as usize]
}

/// One 16-bit linear sample to µ-law.
#[inline]
pub fn encode(sample: i16) -> u8 {
    let mut pcm = sample as i32;
    let sign = if pcm < 0 {
        pcm = -pcm;
        0x80
    } else {
        0x00
    };
    if pcm > CLIP {
        pcm = CLIP;
    }
    pcm += BIAS;
    let mut exponent = 7;
    let mut mask = 0x4000;
    while exponent > 0 && pcm & mask == 0 {
        exponent -= 1;
        mask >>= 1;
    }
    let mantissa = (pcm >> (exponent + 3)) & 0x0F;
    !(sign | (exponent << 4) as u8 | mantissa as u8)
}

/// µ-law bytes to samples in [-1, 1).
pub fn decode_to_f32(bytes: &[u8]) -> Vec<f32> {
    bytes.iter().map(|&b| decode(b) as f32 / 32768.0).collect()
}

/// Samples in [-1, 1] to µ-law bytes (clipped).
pub fn encode_from_f32(samples: &[f32]) -> Vec<u8> {
    samples.iter().map(|&s| encode(f32_to_i16(s))).collect()
}

/// A float sample to 16-bit PCM, clipped.
#[inline]
pub fn f32_to_i16(s: f32) -> i16 {
    (s * 32767.0).round().clamp(-32768.0, 32767.0) as i16
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_codes() {
        assert_eq!(decode(0xFF), 0);
        assert_eq!(decode(0x7F), 0);
        assert_eq!(decode(0x00), -32124);
        assert_eq!(decode(0x80), 32124);
        assert_eq!(encode(0), 0xFF);
        assert_eq!(encode(i16::MAX), 0x80);
        assert_eq!(encode(i16::MIN), 0x00);
    }

    #[test]
    fn every_code_round_trips() {
        for b in 0..=255u8 {
            let again = encode(decode(b));
            // 0x7F and 0xFF both decode to zero; zero encodes to 0xFF.
            if b == 0x7F {
                assert_eq!(again, 0xFF);
            } else {
                assert_eq!(again, b, "code {b:#04x}");
            }
        }
    }

    proptest! {
        #[test]
        fn quantisation_error_is_bounded(s in any::<i16>()) {
            let back = decode(encode(s)) as i32;
            let s = (s as i32).clamp(-CLIP, CLIP);
            // The step at the largest segment is 1024; error is at most half a step plus bias slack.
            let bound = (s.abs() / 16).max(8) + 8;
            prop_assert!((back - s).abs() <= bound, "{} -> {}", s, back);
        }

        #[test]
        fn encoding_is_monotonic(a in any::<i16>(), b in any::<i16>()) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(decode(encode(lo)) <= decode(encode(hi)));
        }

        #[test]
        fn buffers_keep_their_length(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
            let pcm = decode_to_f32(&bytes);
            prop_assert_eq!(pcm.len(), bytes.len());
            prop_assert_eq!(encode_from_f32(&pcm).len(), bytes.len());
        }
    }
}
