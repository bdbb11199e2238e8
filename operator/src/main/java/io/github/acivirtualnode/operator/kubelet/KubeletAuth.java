package io.github.acivirtualnode.operator.kubelet;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Authenticates and authorizes kubelet API requests as a kubelet does: a client certificate that
 * the TLS layer verified against the cluster's client CA (user = CN, groups = O), or a bearer token
 * through a TokenReview; then a SubjectAccessReview on {@code nodes/<subresource>} of the pod's
 * node.
 */
final class KubeletAuth {
  record User(String name, List<String> groups, String uid, Map<String, List<String>> extra) {}

  private final KubernetesClient client;

  KubeletAuth(KubernetesClient client) {
    this.client = client;
  }

  /**
   * @param chain the client certificates the TLS layer verified, or null
   * @param authorization the Authorization header, or null
   * @throws KubeletApiException 401 when neither identifies a user
   */
  User authenticate(X509Certificate[] chain, String authorization) {
    if (chain != null && chain.length > 0) {
      return fromCertificate(chain[0]);
    }
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return fromToken(authorization.substring(7).trim());
    }
    throw new KubeletApiException(
        401,
        "Unauthorized: a client certificate signed by the cluster's client CA or a bearer token is"
            + " required");
  }

  /**
   * @throws KubeletApiException 403 naming the user and the attributes when the review denies
   */
  void authorize(User user, String verb, String subresource, String nodeName) {
    SubjectAccessReview review =
        new SubjectAccessReviewBuilder()
            .withNewSpec()
            .withUser(user.name())
            .withGroups(user.groups())
            .withUid(user.uid())
            .withExtra(user.extra())
            .withNewResourceAttributes()
            .withVerb(verb)
            .withGroup("")
            .withVersion("v1")
            .withResource("nodes")
            .withSubresource(subresource)
            .withName(nodeName)
            .endResourceAttributes()
            .endSpec()
            .build();
    SubjectAccessReview answer;
    try {
      answer = client.authorization().v1().subjectAccessReview().create(review);
    } catch (KubernetesClientException e) {
      throw new KubeletApiException(
          503,
          "authorization could not be checked (SubjectAccessReview failed): " + e.getMessage());
    }
    if (answer.getStatus() == null || !Boolean.TRUE.equals(answer.getStatus().getAllowed())) {
      throw new KubeletApiException(
          403,
          "Forbidden (user="
              + user.name()
              + ", verb="
              + verb
              + ", resource=nodes, subresource="
              + subresource
              + ", name="
              + nodeName
              + ")");
    }
  }

  private static User fromCertificate(X509Certificate certificate) {
    String cn = null;
    List<String> organizations = new ArrayList<>();
    try {
      for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
        if ("CN".equalsIgnoreCase(rdn.getType())) {
          cn = rdn.getValue().toString();
        } else if ("O".equalsIgnoreCase(rdn.getType())) {
          organizations.add(rdn.getValue().toString());
        }
      }
    } catch (InvalidNameException e) {
      throw new KubeletApiException(
          401, "Unauthorized: the client certificate's subject is unreadable");
    }
    if (cn == null || cn.isEmpty()) {
      throw new KubeletApiException(401, "Unauthorized: the client certificate names no user (CN)");
    }
    organizations.add("system:authenticated");
    return new User(cn, organizations, null, null);
  }

  private User fromToken(String token) {
    TokenReview answer;
    try {
      answer =
          client
              .authentication()
              .v1()
              .tokenReviews()
              .create(new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build());
    } catch (KubernetesClientException e) {
      throw new KubeletApiException(
          503, "authentication could not be checked (TokenReview failed): " + e.getMessage());
    }
    if (answer.getStatus() == null
        || !Boolean.TRUE.equals(answer.getStatus().getAuthenticated())
        || answer.getStatus().getUser() == null) {
      throw new KubeletApiException(401, "Unauthorized: the bearer token was not accepted");
    }
    var u = answer.getStatus().getUser();
    return new User(u.getUsername(), u.getGroups(), u.getUid(), u.getExtra());
  }
}
