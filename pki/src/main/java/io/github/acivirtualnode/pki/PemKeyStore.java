package io.github.acivirtualnode.pki;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * A TLS server's key store from PEM text as a {@code kubernetes.io/tls} Secret holds it ({@code
 * tls.crt}: the certificate, then its chain; {@code tls.key}: the private key as PKCS#8, PKCS#1 or
 * SEC1, which is what cert-manager writes), checked so that a bad pair is refused with the reason
 * instead of failing TLS handshakes later: a certificate, a readable unencrypted key, the key that
 * belongs to the certificate, and a certificate valid now. Pure.
 */
public final class PemKeyStore {
  private PemKeyStore() {}

  /**
   * @throws IllegalArgumentException saying what is wrong with the pair
   */
  public static KeyStore of(String certificateChainPem, String privateKeyPem, char[] password) {
    return of(certificateChainPem, privateKeyPem, password, Instant.now());
  }

  static KeyStore of(
      String certificateChainPem, String privateKeyPem, char[] password, Instant now) {
    List<X509Certificate> chain = certificates(certificateChainPem);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("tls.crt holds no PEM certificate");
    }
    PrivateKey key = privateKey(privateKeyPem);
    X509Certificate leaf = chain.get(0);
    if (!belongTogether(key, leaf)) {
      throw new IllegalArgumentException(
          "tls.key is not the private key of the first certificate in tls.crt ("
              + leaf.getSubjectX500Principal().getName()
              + ")");
    }
    try {
      leaf.checkValidity(Date.from(now));
    } catch (CertificateException e) {
      throw new IllegalArgumentException(
          "the certificate in tls.crt is not valid now (valid from "
              + leaf.getNotBefore().toInstant()
              + " to "
              + leaf.getNotAfter().toInstant()
              + ")");
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("key", key, password, chain.toArray(Certificate[]::new));
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("the key store cannot be built: " + e.getMessage(), e);
    }
  }

  /** The PEM certificates in the text, in order (other PEM objects are ignored). */
  public static List<X509Certificate> certificates(String pem) {
    List<X509Certificate> out = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (PEMParser parser = new PEMParser(new StringReader(pem == null ? "" : pem))) {
      Object object;
      while ((object = parser.readObject()) != null) {
        if (object instanceof X509CertificateHolder holder) {
          out.add(converter.getCertificate(holder));
        }
      }
    } catch (IOException | CertificateException | RuntimeException e) {
      throw new IllegalArgumentException("tls.crt is not readable PEM: " + e.getMessage(), e);
    }
    return out;
  }

  private static PrivateKey privateKey(String pem) {
    Object object;
    try (PEMParser parser = new PEMParser(new StringReader(pem == null ? "" : pem))) {
      object = parser.readObject();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("tls.key is not readable PEM: " + e.getMessage(), e);
    }
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try {
      if (object instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      if (object instanceof PEMKeyPair pair) {
        return converter.getKeyPair(pair).getPrivate();
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("tls.key cannot be read: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException(
        object == null
            ? "tls.key holds no PEM private key"
            : "tls.key holds no unencrypted private key (PKCS#8, PKCS#1 or SEC1), but "
                + object.getClass().getSimpleName());
  }

  /** Whether a signature by the key verifies with the certificate's public key. */
  private static boolean belongTogether(PrivateKey key, X509Certificate certificate) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC", "ECDSA" -> "SHA256withECDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default -> null;
        };
    if (algorithm == null) {
      return false;
    }
    byte[] probe = "aci-virtual-node key check".getBytes(StandardCharsets.US_ASCII);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
