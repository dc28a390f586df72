//! One TLS stack for every driver: rustls with the aws-lc-rs provider, installed once.

use std::sync::{Arc, OnceLock};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};

/// Installs aws-lc-rs as the process-wide rustls provider, once. Drivers that build their own
/// `ClientConfig` (redis, reqwest) pick it up from there; without it rustls would refuse to guess.
pub fn install_crypto_provider() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        // An application may have installed one already: that is fine, keep theirs.
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    });
}

/// How much of the server's certificate to verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    /// Chain and host name, against the Mozilla roots.
    Full,
    /// Encrypt only (libpq `sslmode=require`, MySQL `ssl-mode=REQUIRED`).
    None,
}

/// A client configuration for `verification`.
pub fn client_config(verification: Verification) -> Arc<ClientConfig> {
    install_crypto_provider();
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let builder = match ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
    {
        Ok(builder) => builder,
        // The default provider supports the default versions; this branch cannot be reached.
        Err(_) => ClientConfig::builder(),
    };
    let config = match verification {
        Verification::Full => {
            let roots = RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            };
            builder.with_root_certificates(roots).with_no_client_auth()
        }
        Verification::None => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AcceptAnyCertificate(provider)))
            .with_no_client_auth(),
    };
    Arc::new(config)
}

/// Accepts any certificate but still checks the handshake signatures, as libpq's `require` does.
#[derive(Debug)]
struct AcceptAnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// The TLS handshake over `stream`, the certificate checked for `host` as `config` says. Failures
/// are one-line [`CheckError::Tls`] messages (a certificate problem, a plain-text port), except
/// network failures (refused, unreachable), which keep their own message.
pub(crate) async fn handshake<S>(
    stream: S,
    host: &str,
    config: Arc<ClientConfig>,
) -> Result<tokio_rustls::client::TlsStream<S>, crate::CheckError>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    use crate::CheckError;
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let name = ServerName::try_from(bare.to_string())
        .map_err(|_| CheckError::Tls(format!("\"{bare}\" is not a valid TLS server name")))?;
    let err = match tokio_rustls::TlsConnector::from(config)
        .connect(name, stream)
        .await
    {
        Ok(stream) => return Ok(stream),
        Err(err) => err,
    };
    if let Some(tls) = err
        .get_ref()
        .and_then(|e| e.downcast_ref::<rustls::Error>())
    {
        return Err(CheckError::Tls(tls.to_string()));
    }
    Err(match CheckError::from_io(&err, host) {
        CheckError::ConnectionReset => CheckError::Tls(
            "the server closed the connection during the handshake (is its port TLS?)".into(),
        ),
        CheckError::Io(_) => CheckError::Tls(crate::error::strip_os_error(&err.to_string())),
        other => other,
    })
}
