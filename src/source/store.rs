//! Object-store inputs: one object (`s3://bucket/x/customers.parquet`) or every object
//! under a prefix (`s3://bucket/x/customers/`, one dataset), read through the
//! `object_store` crate DataFusion itself uses, so scans stream from the store.
//!
//! `file://` is built in; `s3://`, `gs://`, `az://` and `http(s)://` need the
//! `object-store` cargo feature. Credentials come from the environment the way each
//! store's own tools read them (`AWS_ACCESS_KEY_ID`, `AWS_REGION`, `AWS_ENDPOINT`,
//! `GOOGLE_SERVICE_ACCOUNT`, `AZURE_STORAGE_ACCOUNT_NAME`, ...), never from argv.

use std::sync::Arc;

use datafusion::execution::object_store::ObjectStoreUrl;
use futures::TryStreamExt;
use object_store::path::Path as StorePath;
use object_store::{ObjectStore, ObjectStoreExt};
use sha2::{Digest, Sha256};

use super::{Input, InputFormat};
use crate::error::{Error, Result};

/// A parsed object-store location: the store, the store's base URL (`s3://bucket`) and
/// the path inside it.
pub struct Location {
    pub base: ObjectStoreUrl,
    pub store: Arc<dyn ObjectStore>,
    pub path: StorePath,
    /// The URL DataFusion lists (no query string).
    pub table_url: String,
    /// A prefix (`.../`) of many objects rather than one object.
    pub prefix: bool,
}

/// Build the store for `url` from the environment.
pub fn locate(input: &Input) -> Result<Location> {
    let remote = input
        .remote
        .as_ref()
        .ok_or_else(|| Error::internal("not an object-store input"))?;
    let shown = input.path.display().to_string();
    let url = url::Url::parse(remote.url.expose())
        .map_err(|e| Error::Usage(format!("{shown}: not a valid URL ({e})")))?;
    let prefix = url.path().ends_with('/');
    let scheme = url.scheme().to_ascii_lowercase();
    let (base, store): (String, Arc<dyn ObjectStore>) = if scheme == "file" {
        (
            "file://".into(),
            Arc::new(object_store::local::LocalFileSystem::new()),
        )
    } else {
        let host = url.host_str().unwrap_or_default();
        let base = match url.port() {
            Some(port) => format!("{scheme}://{host}:{port}"),
            None => format!("{scheme}://{host}"),
        };
        (base, cloud_store(&scheme, &url, &shown)?)
    };
    let base = ObjectStoreUrl::parse(&base)
        .map_err(|e| Error::Usage(format!("{shown}: {}", message(&e))))?;
    let path = StorePath::from_url_path(url.path())
        .map_err(|e| Error::Usage(format!("{shown}: bad object path ({e})")))?;
    let mut table_url = url.clone();
    table_url.set_query(None);
    table_url.set_fragment(None);
    Ok(Location {
        base,
        store,
        path,
        table_url: table_url.to_string(),
        prefix,
    })
}

#[cfg(feature = "object-store")]
fn cloud_store(scheme: &str, url: &url::Url, shown: &str) -> Result<Arc<dyn ObjectStore>> {
    use object_store::aws::AmazonS3Builder;
    use object_store::azure::MicrosoftAzureBuilder;
    use object_store::gcp::GoogleCloudStorageBuilder;
    use object_store::http::HttpBuilder;
    let built: object_store::Result<Arc<dyn ObjectStore>> = match scheme {
        "s3" | "s3a" => AmazonS3Builder::from_env()
            .with_url(url.as_str())
            .build()
            .map(|s| Arc::new(s) as _),
        "gs" => GoogleCloudStorageBuilder::from_env()
            .with_url(url.as_str())
            .build()
            .map(|s| Arc::new(s) as _),
        "az" | "azure" | "abfs" | "abfss" => MicrosoftAzureBuilder::from_env()
            .with_url(url.as_str())
            .build()
            .map(|s| Arc::new(s) as _),
        "http" | "https" => {
            let mut base = url.clone();
            base.set_path("/");
            base.set_query(None);
            HttpBuilder::new()
                .with_url(base.as_str())
                .build()
                .map(|s| Arc::new(s) as _)
        }
        other => {
            return Err(Error::Usage(format!(
                "{shown}: no object store for '{other}://'"
            )));
        }
    };
    built.map_err(|e| {
        Error::Usage(format!(
            "{shown}: cannot configure the object store: {}; credentials and region come from the environment (see docs/scaling.md)",
            message(&e)
        ))
    })
}

#[cfg(not(feature = "object-store"))]
fn cloud_store(scheme: &str, _url: &url::Url, shown: &str) -> Result<Arc<dyn ObjectStore>> {
    // `remote::parse` refuses these schemes first; kept total for safety.
    Err(Error::Usage(format!(
        "{shown}: this steward was built without '{scheme}://' support; rebuild with --features object-store"
    )))
}

/// The objects a location stands for, in path order: the object itself, or every object
/// under the prefix whose name ends with the format's extension.
pub async fn objects(input: &Input, loc: &Location) -> Result<Vec<object_store::ObjectMeta>> {
    let shown = input.path.display().to_string();
    let fail = |e| read_failed(input, e);
    if !loc.prefix {
        return Ok(vec![loc.store.head(&loc.path).await.map_err(fail)?]);
    }
    let ext = default_extension(input.format);
    let mut found: Vec<object_store::ObjectMeta> = loc
        .store
        .list(Some(&loc.path))
        .try_filter(|m| futures::future::ready(m.location.as_ref().ends_with(ext)))
        .try_collect()
        .await
        .map_err(fail)?;
    found.sort_by(|a, b| a.location.cmp(&b.location));
    if found.is_empty() {
        return Err(Error::Usage(format!(
            "{shown}: no objects ending in '{ext}' under this prefix"
        )));
    }
    Ok(found)
}

/// The file extension objects under a prefix must have.
pub fn default_extension(format: InputFormat) -> &'static str {
    match format {
        InputFormat::Csv => ".csv",
        InputFormat::Tsv => ".tsv",
        InputFormat::Parquet => ".parquet",
        InputFormat::Json => ".json",
        InputFormat::Postgres => "",
    }
}

/// SHA-256 over the bytes of every object, in path order, and their total size: what a
/// report pins. This reads the objects a second time (streamed, beside the scan).
pub async fn sha256(input: &Input) -> Result<(String, u64)> {
    let loc = locate(input)?;
    let mut hasher = Sha256::new();
    let mut total = 0u64;
    for meta in objects(input, &loc).await? {
        let mut stream = loc
            .store
            .get(&meta.location)
            .await
            .map_err(|e| read_failed(input, e))?
            .into_stream();
        while let Some(chunk) = stream.try_next().await.map_err(|e| read_failed(input, e))? {
            total += chunk.len() as u64;
            hasher.update(&chunk);
        }
    }
    Ok((hex::encode(hasher.finalize()), total))
}

fn read_failed(input: &Input, e: object_store::Error) -> Error {
    Error::data(&input.path, format!("cannot read: {}", message(&e)))
}

/// An engine or store message fit to show: quoted text (a cell value) removed, and any
/// URL in it redacted.
pub(super) fn message(e: &dyn std::fmt::Display) -> String {
    super::remote::redact(&super::diagnose::scrub(&e.to_string()))
}

/// The Parquet footer check of local files ([`super::check_parquet_footer`]), on the
/// last 8 bytes of each object.
pub async fn check_parquet_footers(
    input: &Input,
    loc: &Location,
    objects: &[object_store::ObjectMeta],
) -> Result<()> {
    for meta in objects {
        let len = meta.size;
        if len < 12 {
            return Err(Error::data(
                &input.path,
                format!(
                    "{}: {len} bytes is too short for a Parquet file",
                    meta.location
                ),
            ));
        }
        let tail = loc
            .store
            .get_range(&meta.location, len - 8..len)
            .await
            .map_err(|e| read_failed(input, e))?;
        super::parquet_footer::footer_fits(&input.path, &tail, len).map_err(|e| match e {
            Error::Data { message, .. } => {
                Error::data(&input.path, format!("{}: {message}", meta.location))
            }
            other => other,
        })?;
    }
    Ok(())
}
