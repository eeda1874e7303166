//! Loading the persona from `prompts/`: the file-reading shell around
//! [`crate::logic::persona`], where the persona itself (who the agent answers for, its hours,
//! lines, FAQ and screening lists) is parsed and validated without IO.

use std::path::Path;

pub use crate::logic::persona::*;

impl Persona {
    /// Loads and validates a persona file and the FAQ and screening files it names (paths
    /// relative to it).
    pub fn load(path: &Path) -> Result<Self, PersonaError> {
        let read = |p: &Path| {
            std::fs::read_to_string(p).map_err(|source| PersonaError::Read {
                path: p.display().to_string(),
                source,
            })
        };
        let text = read(path)?;
        let raw = Self::parse_raw(&text).map_err(|e| match e {
            PersonaError::Parse { message, .. } => PersonaError::Parse {
                path: path.display().to_string(),
                message,
            },
            other => other,
        })?;
        let dir = path.parent().unwrap_or(Path::new("."));
        let faq = raw.faq.as_deref().map(|f| read(&dir.join(f))).transpose()?;
        let screening = raw
            .screening
            .as_deref()
            .map(|f| read(&dir.join(f)))
            .transpose()?;
        Self::build(raw, faq.as_deref(), screening.as_deref())
    }
}
