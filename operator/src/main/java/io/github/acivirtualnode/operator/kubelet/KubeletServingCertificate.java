package io.github.acivirtualnode.operator.kubelet;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.acivirtualnode.operator.EventRecorder;
import io.github.acivirtualnode.pki.CertificateAuthority;
import io.github.acivirtualnode.pki.PemKeyStore;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet API's serving certificate: generated at start by a CA of its own (for {@code
 * localhost}, the node address and, reissued whenever they change, the names of the virtual Nodes
 * served, which each Node publishes as its Hostname address), or taken from a {@code
 * kubernetes.io/tls} Secret in the operator's namespace ({@code tls.crt}, {@code tls.key},
 * optionally {@code ca.crt}), as cert-manager writes it. The Secret is read at start, where a
 * missing or bad one is an error that stops the operator with the reason, and read again every
 * refresh interval (one GET: the operator may only get Secrets in its namespace, not watch them); a
 * changed Secret is served from then on without a restart (Jetty reloads its TLS context; open
 * connections keep theirs), a bad one is refused with a log line and a Warning Event on the Secret
 * while the last good certificate stays.
 */
final class KubeletServingCertificate implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubeletServingCertificate.class);
  static final char[] PASSWORD = "kubelet".toCharArray();
  static final String TLS_TYPE = "kubernetes.io/tls";

  private volatile KeyStore keyStore;
  private final String caPem;
  private final Source source;

  /** The generated certificate's CA and address; null for a Secret's. */
  private final Generated generated;

  // Guarded by this: the refresh thread, and the Secret's resourceVersion last acted on (served,
  // or refused once, so that an unchanged bad Secret is not reported again at every read).
  private ScheduledExecutorService refresher;
  private String lastVersion;

  /** Where a Secret-backed certificate comes from and how it is kept current. */
  private record Source(
      KubernetesClient client,
      String namespace,
      String name,
      Duration refresh,
      EventRecorder events) {}

  /** What a generated certificate is issued from, and the node names it holds (guarded by this). */
  private static final class Generated {
    final CertificateAuthority ca;
    final String nodeAddress;
    Set<String> nodeNames = Set.of();

    Generated(CertificateAuthority ca, String nodeAddress) {
      this.ca = ca;
      this.nodeAddress = nodeAddress;
    }

    KeyStore issue() {
      List<String> dns = new ArrayList<>(List.of("localhost"));
      dns.addAll(new TreeSet<>(nodeNames));
      return ca.issueServer("aci-virtual-node-kubelet", dns, List.of(nodeAddress))
          .keyStore(PASSWORD);
    }
  }

  private KubeletServingCertificate(
      KeyStore keyStore, String caPem, Source source, Generated generated) {
    this.keyStore = keyStore;
    this.caPem = caPem;
    this.source = source;
    this.generated = generated;
  }

  /** A certificate of a CA of its own, for {@code localhost} and the node address. */
  static KubeletServingCertificate generated(String nodeAddress) {
    CertificateAuthority ca = CertificateAuthority.create("aci-virtual-node kubelet serving CA");
    Generated generated = new Generated(ca, nodeAddress);
    return new KubeletServingCertificate(generated.issue(), ca.certificatePem(), null, generated);
  }

  /**
   * A generated certificate is issued again with these node names among its DNS names and loaded
   * into {@code ssl} (open connections keep the old one); a Secret's certificate is the Secret's to
   * name, so nothing happens for one.
   */
  synchronized void nodeNames(Set<String> names, SslContextFactory.Server ssl) {
    if (generated == null || generated.nodeNames.equals(names)) {
      return;
    }
    generated.nodeNames = Set.copyOf(names);
    KeyStore reissued = generated.issue();
    try {
      ssl.reload(factory -> factory.setKeyStore(reissued));
      keyStore = reissued;
    } catch (Exception e) {
      LOG.warn(
          "the kubelet serving certificate for nodes {} was not loaded: {}", names, e.toString());
    }
  }

  /**
   * The certificate of the Secret, read now.
   *
   * @throws IllegalStateException saying why the Secret cannot serve (missing, unreadable, bad)
   */
  static KubeletServingCertificate fromSecret(
      KubernetesClient client, String namespace, String name, Duration refresh) {
    Source source = new Source(client, namespace, name, refresh, new EventRecorder(client));
    Secret secret;
    try {
      secret = client.secrets().inNamespace(namespace).withName(name).get();
    } catch (KubernetesClientException e) {
      throw new IllegalStateException(
          "the kubelet serving certificate Secret "
              + namespace
              + "/"
              + name
              + " (AVN_KUBELET_SERVING_SECRET) cannot be read: "
              + e.getMessage(),
          e);
    }
    if (secret == null) {
      throw new IllegalStateException(
          "the kubelet serving certificate Secret "
              + namespace
              + "/"
              + name
              + " (AVN_KUBELET_SERVING_SECRET) does not exist");
    }
    try {
      Parsed parsed = parse(secret);
      KubeletServingCertificate certificate =
          new KubeletServingCertificate(parsed.keyStore(), parsed.caPem(), source, null);
      certificate.lastVersion = secret.getMetadata().getResourceVersion();
      return certificate;
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "the kubelet serving certificate Secret "
              + namespace
              + "/"
              + name
              + " (AVN_KUBELET_SERVING_SECRET) cannot serve: "
              + e.getMessage(),
          e);
    }
  }

  /** A Secret's key store and CA. */
  record Parsed(KeyStore keyStore, String caPem) {}

  /**
   * Reads a {@code kubernetes.io/tls} Secret. Pure.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  static Parsed parse(Secret secret) {
    if (!TLS_TYPE.equals(secret.getType())) {
      throw new IllegalArgumentException(
          "its type is " + secret.getType() + ", not " + TLS_TYPE + " (tls.crt and tls.key)");
    }
    Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
    String crt = decoded(data, "tls.crt");
    String key = decoded(data, "tls.key");
    if (crt == null || key == null) {
      throw new IllegalArgumentException("it has no " + (crt == null ? "tls.crt" : "tls.key"));
    }
    String ca = decoded(data, "ca.crt");
    return new Parsed(PemKeyStore.of(crt, key, PASSWORD), ca == null || ca.isBlank() ? null : ca);
  }

  private static String decoded(Map<String, String> data, String key) {
    String value = data.get(key);
    if (value == null) {
      return null;
    }
    try {
      return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + " is not base64", e);
    }
  }

  KeyStore keyStore() {
    return keyStore;
  }

  /**
   * The CA that signed the served certificate, as PEM: the Secret's ca.crt; null if it has none.
   */
  String caPem() {
    return caPem;
  }

  /** From now on a changed Secret is loaded into {@code ssl}; nothing for a generated one. */
  synchronized void keepCurrent(SslContextFactory.Server ssl) {
    if (source == null || refresher != null) {
      return;
    }
    refresher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "kubelet-serving-certificate");
              t.setDaemon(true);
              return t;
            });
    long period = source.refresh().toMillis();
    refresher.scheduleWithFixedDelay(() -> refresh(ssl), period, period, TimeUnit.MILLISECONDS);
  }

  private void refresh(SslContextFactory.Server ssl) {
    Secret secret;
    try {
      secret =
          source.client().secrets().inNamespace(source.namespace()).withName(source.name()).get();
    } catch (RuntimeException e) {
      LOG.warn(
          "the kubelet serving certificate Secret {}/{} cannot be read, the current certificate"
              + " stays: {}",
          source.namespace(),
          source.name(),
          e.getMessage());
      return;
    }
    String version = secret == null ? "deleted" : secret.getMetadata().getResourceVersion();
    synchronized (this) {
      if (Objects.equals(version, lastVersion)) {
        return;
      }
      lastVersion = version;
    }
    if (secret == null) {
      refused(null, "it was deleted");
      return;
    }
    Parsed parsed;
    try {
      parsed = parse(secret);
    } catch (IllegalArgumentException e) {
      refused(secret, e.getMessage());
      return;
    }
    try {
      ssl.reload(factory -> factory.setKeyStore(parsed.keyStore()));
      LOG.info(
          "kubelet serving certificate reloaded from Secret {}/{} (resourceVersion {})",
          source.namespace(),
          source.name(),
          version);
    } catch (Exception e) {
      refused(secret, "TLS refused it: " + e.getMessage());
    }
  }

  private void refused(Secret secret, String reason) {
    String message =
        "the kubelet serving certificate Secret "
            + source.namespace()
            + "/"
            + source.name()
            + " was not loaded, the current certificate stays: "
            + reason;
    LOG.warn(message);
    Secret about =
        secret != null
            ? secret
            : new SecretBuilder()
                .withNewMetadata()
                .withNamespace(source.namespace())
                .withName(source.name())
                .endMetadata()
                .build();
    source.events().warning(about, "InvalidServingCertificate", message);
  }

  @Override
  public synchronized void close() {
    if (refresher != null) {
      refresher.shutdownNow();
    }
  }
}
