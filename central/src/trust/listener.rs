//! The TLS listener around the axum router (as in axum's `low-level-rustls` example): each
//! connection is asked for a client certificate issued by the national CA, and the one it presents
//! goes into every request's extensions ([`PeerCertificate`]), where [`super::StationCaller`] reads
//! it. A connection without a certificate is let through the handshake only so that a station can
//! reach the provisioning endpoint; every station endpoint then refuses it.
//!
//! Each connection holds one place out of [`ServerLimits::max_connections`] from accept to close
//! (and an anonymous one also one of [`ServerLimits::max_anonymous_connections`]); a connection
//! that finds none is closed at once. Headers must arrive within the header timeout (which also
//! closes idle keep-alive connections), bodies may not stall longer than the body idle timeout, and
//! every request takes a token from its client's bucket ([`RateLimiter`]).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use rustls::RootCertStore;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_rustls::TlsAcceptor;

use super::PeerCertificate;
use super::authority::{NationalCa, fingerprint};
use crate::server::errors::ApiError;
use crate::server::idle_body::IdleTimeoutBody;
use crate::server::limits::ServerLimits;
use crate::server::rate::RateLimiter;

/// Why the TLS configuration could not be built.
#[derive(Debug, thiserror::Error)]
#[error("TLS configuration: {0}")]
pub struct TlsSetupError(String);

/// The server's TLS configuration: its certificate (PEM chain and key), client certificates
/// verified against `ca` and optional at the handshake. rustls on ring, TLS 1.2 and 1.3.
pub fn server_config(
    ca: &NationalCa,
    cert_pem: &str,
    key_pem: &str,
) -> Result<Arc<rustls::ServerConfig>, TlsSetupError> {
    let error = |e: &dyn std::fmt::Display| TlsSetupError(e.to_string());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = RootCertStore::empty();
    roots
        .add(CertificateDer::from(ca.cert_der().to_vec()))
        .map_err(|e| error(&e))?;
    let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .allow_unauthenticated()
        .build()
        .map_err(|e| error(&e))?;
    let chain = CertificateDer::pem_slice_iter(cert_pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| error(&e))?;
    let key = PrivateKeyDer::from_pem_slice(key_pem.as_bytes()).map_err(|e| error(&e))?;
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| error(&e))?
        .with_client_cert_verifier(verifier)
        .with_single_cert(chain, key)
        .map_err(|e| error(&e))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// The client a request is counted against: its certificate, or its address when it has none.
#[derive(Debug, Clone)]
struct RateKey(String);

async fn rate_limited(rates: Arc<RateLimiter>, request: Request<Body>, next: Next) -> Response {
    let allowed = request
        .extensions()
        .get::<RateKey>()
        .is_none_or(|key| rates.allow(&key.0));
    if allowed {
        return next.run(request).await;
    }
    tracing::warn!(path = %request.uri().path(), "request over the client's rate refused");
    let mut response = ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "too-many-requests",
        "too many requests from this client; retry in a moment",
    )
    .into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    response
}

/// Counts refusals, logging the first and then every power of two, so that a flood does not also
/// flood the log.
#[derive(Debug, Default)]
struct Refusals(std::sync::atomic::AtomicU64);

impl Refusals {
    fn note(&self, what: &'static str, peer: std::net::SocketAddr) {
        let n = self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if n.is_power_of_two() {
            tracing::warn!(%peer, refused_so_far = n, "{what}");
        }
    }
}

/// Accepts TLS connections on `listener` and serves `router` on each, within `limits`, until
/// `shutdown` completes; then lets requests in flight finish for at most `grace`.
pub async fn serve(
    listener: TcpListener,
    tls: Arc<rustls::ServerConfig>,
    router: Router,
    shutdown: impl Future<Output = ()> + Send,
    grace: Duration,
    limits: &ServerLimits,
) {
    let acceptor = TlsAcceptor::from(tls);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let places = Arc::new(Semaphore::new(limits.max_connections));
    let anonymous_places = Arc::new(Semaphore::new(limits.max_anonymous_connections));
    let refusals = Arc::new(Refusals::default());
    let rates = Arc::new(RateLimiter::new(
        limits.requests_per_second,
        limits.request_burst,
    ));
    let router = router.layer(axum::middleware::from_fn(move |request, next| {
        rate_limited(Arc::clone(&rates), request, next)
    }));
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (tcp, peer_addr) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait rather than spin.
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(place) = Arc::clone(&places).try_acquire_owned() else {
            // Dropping it closes it: the client sees the connection end before any handshake.
            refusals.note(
                "connection refused: the connection limit is reached",
                peer_addr,
            );
            drop(tcp);
            continue;
        };
        let acceptor = acceptor.clone();
        let router = router.clone();
        let watcher = graceful.watcher();
        let anonymous_places = Arc::clone(&anonymous_places);
        let refusals = Arc::clone(&refusals);
        let (handshake_timeout, header_timeout, body_idle) = (
            limits.handshake_timeout,
            limits.header_timeout,
            limits.body_idle_timeout,
        );
        tokio::spawn(async move {
            let _place = place;
            let tls = match tokio::time::timeout(handshake_timeout, acceptor.accept(tcp)).await {
                Ok(Ok(tls)) => tls,
                Ok(Err(e)) => {
                    // Plain HTTP, a certificate from another CA, a client that does not trust us.
                    tracing::info!(peer = %peer_addr, error = %e, "TLS handshake refused");
                    return;
                }
                Err(_) => {
                    tracing::info!(peer = %peer_addr, "TLS handshake timed out");
                    return;
                }
            };
            let peer = tls
                .get_ref()
                .1
                .peer_certificates()
                .and_then(|chain| chain.first())
                .map(|cert| PeerCertificate {
                    fingerprint: fingerprint(cert.as_ref()),
                    der: Arc::new(cert.as_ref().to_vec()),
                });
            let (router, _anonymous_place) = match peer {
                Some(peer) => {
                    let key = RateKey(format!("certificate:{}", peer.fingerprint));
                    (
                        router
                            .layer(axum::Extension(peer))
                            .layer(axum::Extension(key)),
                        None,
                    )
                }
                None => match Arc::clone(&anonymous_places).try_acquire_owned() {
                    Ok(place) => {
                        let key = RateKey(format!("address:{}", peer_addr.ip()));
                        (router.layer(axum::Extension(key)), Some(place))
                    }
                    Err(_) => {
                        refusals.note(
                            "connection without a certificate refused: the anonymous limit is reached",
                            peer_addr,
                        );
                        return;
                    }
                },
            };
            let router = router.layer(axum::middleware::map_request(
                move |request: Request<Body>| async move {
                    request.map(|body| Body::new(IdleTimeoutBody::new(body, body_idle)))
                },
            ));
            let service = TowerToHyperService::new(router);
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .serve_connection(TokioIo::new(tls), service);
            if let Err(e) = watcher.watch(connection).await {
                tracing::debug!(peer = %peer_addr, error = %e, "connection ended with an error");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("central stopped with connections still open");
    }
}

/// Bench only: serves `router` over plain HTTP, every request taken as coming over the client
/// certificate `peer` (the intake bench compares this with TLS). Never built into a central that
/// serves stations.
#[cfg(feature = "bench-plain")]
pub async fn serve_plain_for_bench(
    listener: TcpListener,
    router: Router,
    peer: PeerCertificate,
    shutdown: impl Future<Output = ()> + Send,
) {
    let router = router.layer(axum::Extension(peer));
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let tcp = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((tcp, _)) => tcp,
                Err(_) => continue,
            },
            () = &mut shutdown => break,
        };
        let service = TowerToHyperService::new(router.clone());
        tokio::spawn(async move {
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(tcp), service)
                .await;
        });
    }
}
