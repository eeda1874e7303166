//! Read-only iCalendar subscription feeds (`[calendar] feeds`) as more busy time: a shared
//! calendar's secret address, a team's on-call rota. Each is fetched every `poll_secs` with a
//! conditional request (`If-None-Match` on its ETag, `If-Modified-Since` on its
//! `Last-Modified`), so an unchanged feed costs a `304` and no download; its last text is kept
//! and read again over the moving horizon.
//!
//! **Architecture Invariant:** only the background loop (`crate::calendar_sync::poll_feeds`)
//! waits on the feeds; calls read the snapshot in `Services::busy`. A feed's URL is a secret
//! and is never logged whole ([`Feed::shown`]).

use reqwest::header::{ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED};

use super::CalDavError;

/// One feed and what its last good answer was.
#[derive(Debug, Clone)]
pub struct Feed {
    url: String,
    etag: Option<String>,
    last_modified: Option<String>,
    text: Option<String>,
}

/// What a fetch found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fetched {
    /// A new text.
    Changed,
    /// `304 Not Modified`: the text kept is current.
    Unchanged,
}

impl Feed {
    /// The feed at `url`, never fetched.
    pub fn new(url: &str) -> Self {
        Self {
            url: url.to_string(),
            etag: None,
            last_modified: None,
            text: None,
        }
    }

    /// The last text fetched, if any.
    pub fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }

    /// The feed's address without its path and query (which may hold the secret), for logs.
    pub fn shown(&self) -> String {
        url::Url::parse(&self.url)
            .ok()
            .and_then(|u| u.host_str().map(|h| format!("{}://{h}/…", u.scheme())))
            .unwrap_or_else(|| "(feed)".into())
    }

    /// Fetches the feed, conditionally once it has been fetched.
    pub async fn fetch(&mut self, http: &reqwest::Client) -> Result<Fetched, CalDavError> {
        let mut req = http.get(&self.url);
        if self.text.is_some() {
            if let Some(etag) = &self.etag {
                req = req.header(IF_NONE_MATCH, etag);
            }
            if let Some(lm) = &self.last_modified {
                req = req.header(IF_MODIFIED_SINCE, lm);
            }
        }
        let resp = req
            .send()
            .await
            .map_err(|e| CalDavError::Unreachable(e.without_url()))?;
        let status = resp.status().as_u16();
        if status == 304 && self.text.is_some() {
            return Ok(Fetched::Unchanged);
        }
        if !(200..300).contains(&status) {
            return Err(CalDavError::Status {
                status,
                body: String::new(),
            });
        }
        let header = |name| {
            resp.headers()
                .get(name)
                .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
                .map(str::to_string)
        };
        let (etag, last_modified) = (header(ETAG), header(LAST_MODIFIED));
        let text = resp
            .text()
            .await
            .map_err(|e| CalDavError::Unreachable(e.without_url()))?;
        self.etag = etag;
        self.last_modified = last_modified;
        self.text = Some(text);
        Ok(Fetched::Changed)
    }
}
