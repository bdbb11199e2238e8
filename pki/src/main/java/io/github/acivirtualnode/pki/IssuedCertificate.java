package io.github.acivirtualnode.pki;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

/** A certificate with its private key and the CA that signed it. */
public record IssuedCertificate(
    X509Certificate certificate, PrivateKey privateKey, CertificateAuthority issuer) {

  public String certificatePem() {
    return CertificateAuthority.pem(certificate);
  }

  public String privateKeyPem() {
    return CertificateAuthority.pem(privateKey);
  }

  /** A PKCS#12 key store with this certificate and its chain, for JDK TLS servers. */
  public KeyStore keyStore(char[] password) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(
          "key", privateKey, password, new Certificate[] {certificate, issuer.certificate()});
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build key store", e);
    }
  }
}
