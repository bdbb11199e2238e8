package io.github.acivirtualnode.operator.translation;

import com.azure.resourcemanager.containerinstance.models.SecurityContextCapabilitiesDefinition;
import com.azure.resourcemanager.containerinstance.models.SecurityContextDefinition;
import io.fabric8.kubernetes.api.model.AppArmorProfile;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;

/**
 * Security contexts as ACI's: privileged, allowPrivilegeEscalation, capabilities, runAsUser and
 * runAsGroup (the pod's values apply where the container sets none). What ACI cannot enforce
 * (read-only root filesystems, SELinux, AppArmor or seccomp profiles other than the runtime's
 * default, fsGroup, sysctls, ...) is an error: a security setting is never dropped quietly.
 */
final class SecurityTranslator {
  private SecurityTranslator() {}

  /** The pod-level settings that apply to no container field ACI has. */
  static void checkPod(PodSecurityContext sc, Findings findings) {
    if (sc == null) {
      return;
    }
    String path = "spec.securityContext";
    if (sc.getFsGroup() != null) {
      findings.unsupported(path + ".fsGroup", "ACI cannot change the group of volume files");
    }
    if (sc.getFsGroupChangePolicy() != null) {
      findings.unsupported(
          path + ".fsGroupChangePolicy", "ACI cannot change the group of volume files");
    }
    if (!Lists.of(sc.getSupplementalGroups()).isEmpty()) {
      findings.unsupported(path + ".supplementalGroups", "ACI has no supplemental groups");
    }
    if (sc.getSupplementalGroupsPolicy() != null) {
      findings.unsupported(path + ".supplementalGroupsPolicy", "ACI has no supplemental groups");
    }
    if (!Lists.of(sc.getSysctls()).isEmpty()) {
      findings.unsupported(path + ".sysctls", "ACI cannot set sysctls");
    }
    if (sc.getSeLinuxChangePolicy() != null) {
      findings.unsupported(path + ".seLinuxChangePolicy", "ACI has no SELinux labels");
    }
    checkInherited(
        sc.getSeLinuxOptions(),
        sc.getWindowsOptions(),
        sc.getAppArmorProfile(),
        sc.getSeccompProfile(),
        path,
        findings);
  }

  /** The container's ACI security context, or null when there is nothing to set. */
  static SecurityContextDefinition translate(
      Container container, PodSecurityContext pod, String path, Findings findings) {
    SecurityContext sc = container.getSecurityContext();
    String scPath = path + ".securityContext";
    Long runAsUser = sc != null && sc.getRunAsUser() != null ? sc.getRunAsUser() : null;
    Long runAsGroup = sc != null && sc.getRunAsGroup() != null ? sc.getRunAsGroup() : null;
    Boolean runAsNonRoot = sc != null ? sc.getRunAsNonRoot() : null;
    String userPath = scPath + ".runAsUser";
    String groupPath = scPath + ".runAsGroup";
    String nonRootPath = scPath + ".runAsNonRoot";
    if (pod != null) {
      if (runAsUser == null && pod.getRunAsUser() != null) {
        runAsUser = pod.getRunAsUser();
        userPath = "spec.securityContext.runAsUser";
      }
      if (runAsGroup == null && pod.getRunAsGroup() != null) {
        runAsGroup = pod.getRunAsGroup();
        groupPath = "spec.securityContext.runAsGroup";
      }
      if (runAsNonRoot == null && pod.getRunAsNonRoot() != null) {
        runAsNonRoot = pod.getRunAsNonRoot();
        nonRootPath = "spec.securityContext.runAsNonRoot";
      }
    }
    SecurityContextDefinition aci = new SecurityContextDefinition();
    boolean any = false;
    if (sc != null) {
      if (sc.getPrivileged() != null) {
        aci.withPrivileged(sc.getPrivileged());
        any = true;
      }
      if (sc.getAllowPrivilegeEscalation() != null) {
        aci.withAllowPrivilegeEscalation(sc.getAllowPrivilegeEscalation());
        any = true;
      }
      var caps = sc.getCapabilities();
      if (caps != null
          && (!Lists.of(caps.getAdd()).isEmpty() || !Lists.of(caps.getDrop()).isEmpty())) {
        var aciCaps = new SecurityContextCapabilitiesDefinition();
        if (!Lists.of(caps.getAdd()).isEmpty()) {
          aciCaps.withAdd(caps.getAdd());
        }
        if (!Lists.of(caps.getDrop()).isEmpty()) {
          aciCaps.withDrop(caps.getDrop());
        }
        aci.withCapabilities(aciCaps);
        any = true;
      }
      if (Lists.isTrue(sc.getReadOnlyRootFilesystem())) {
        findings.unsupported(
            scPath + ".readOnlyRootFilesystem", "ACI cannot make a root filesystem read-only");
      }
      if (sc.getProcMount() != null && !"Default".equals(sc.getProcMount())) {
        findings.unsupported(scPath + ".procMount", "ACI has only the default /proc mount");
      }
      checkInherited(
          sc.getSeLinuxOptions(),
          sc.getWindowsOptions(),
          sc.getAppArmorProfile(),
          sc.getSeccompProfile(),
          scPath,
          findings);
    }
    if (runAsUser != null) {
      Integer uid = toInt(runAsUser, userPath, findings);
      if (uid != null) {
        aci.withRunAsUser(uid);
        any = true;
      }
    }
    if (runAsGroup != null) {
      Integer gid = toInt(runAsGroup, groupPath, findings);
      if (gid != null) {
        aci.withRunAsGroup(gid);
        any = true;
      }
    }
    if (Lists.isTrue(runAsNonRoot)) {
      if (runAsUser == null) {
        findings.unsupported(
            nonRootPath,
            "ACI cannot check which user the image runs as; set runAsUser to a non-zero UID");
      } else if (runAsUser == 0) {
        findings.invalid(nonRootPath, "runAsNonRoot is true but runAsUser is 0");
      }
    }
    return any ? aci : null;
  }

  private static void checkInherited(
      Object seLinux,
      Object windows,
      AppArmorProfile appArmor,
      SeccompProfile seccomp,
      String path,
      Findings findings) {
    if (seLinux != null) {
      findings.unsupported(path + ".seLinuxOptions", "ACI has no SELinux labels");
    }
    if (windows != null) {
      findings.unsupported(path + ".windowsOptions", "ACI has no Windows security options");
    }
    if (appArmor != null && !"RuntimeDefault".equals(appArmor.getType())) {
      findings.unsupported(
          path + ".appArmorProfile", "ACI runs containers with its runtime's default profile");
    }
    if (seccomp != null && !"RuntimeDefault".equals(seccomp.getType())) {
      findings.unsupported(
          path + ".seccompProfile", "ACI runs containers with its runtime's default profile");
    }
  }

  private static Integer toInt(long id, String path, Findings findings) {
    if (id < 0 || id > Integer.MAX_VALUE) {
      findings.invalid(path, "ACI takes IDs from 0 to " + Integer.MAX_VALUE);
      return null;
    }
    return (int) id;
  }
}
