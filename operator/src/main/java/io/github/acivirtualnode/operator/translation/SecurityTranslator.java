package io.github.acivirtualnode.operator.translation;

import com.azure.resourcemanager.containerinstance.models.SecurityContextCapabilitiesDefinition;
import com.azure.resourcemanager.containerinstance.models.SecurityContextDefinition;
import io.fabric8.kubernetes.api.model.AppArmorProfile;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;

/**
 * Security contexts as ACI's: allowPrivilegeEscalation, capabilities, runAsUser and runAsGroup (the
 * pod's values apply where the container sets none), privileged only as false. What ACI cannot
 * enforce (privileged containers, read-only root filesystems, SELinux, AppArmor or seccomp profiles
 * other than the runtime's default, fsGroup, sysctls, ...) is an error: a security setting is never
 * dropped, by the rule written in {@link PodField}.
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
      findings.apply(PodField.POD_FS_GROUP, path + ".fsGroup");
    }
    if (sc.getFsGroupChangePolicy() != null) {
      findings.apply(PodField.POD_FS_GROUP_CHANGE_POLICY, path + ".fsGroupChangePolicy");
    }
    if (!Lists.of(sc.getSupplementalGroups()).isEmpty()) {
      findings.apply(PodField.POD_SUPPLEMENTAL_GROUPS, path + ".supplementalGroups");
    }
    if (sc.getSupplementalGroupsPolicy() != null) {
      findings.apply(PodField.POD_SUPPLEMENTAL_GROUPS_POLICY, path + ".supplementalGroupsPolicy");
    }
    if (!Lists.of(sc.getSysctls()).isEmpty()) {
      findings.apply(PodField.POD_SYSCTLS, path + ".sysctls");
    }
    if (sc.getSeLinuxChangePolicy() != null) {
      findings.apply(PodField.POD_SE_LINUX_CHANGE_POLICY, path + ".seLinuxChangePolicy");
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
      if (Lists.isTrue(sc.getPrivileged())) {
        findings.apply(PodField.PRIVILEGED, scPath + ".privileged");
      } else if (sc.getPrivileged() != null) {
        aci.withPrivileged(false);
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
        findings.apply(PodField.READ_ONLY_ROOT_FILESYSTEM, scPath + ".readOnlyRootFilesystem");
      }
      if (sc.getProcMount() != null && !"Default".equals(sc.getProcMount())) {
        findings.apply(PodField.PROC_MOUNT, scPath + ".procMount");
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
        findings.apply(PodField.RUN_AS_NON_ROOT_UNKNOWN_USER, nonRootPath);
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
      findings.apply(PodField.SE_LINUX_OPTIONS, path + ".seLinuxOptions");
    }
    if (windows != null) {
      findings.apply(PodField.WINDOWS_OPTIONS, path + ".windowsOptions");
    }
    if (appArmor != null) {
      findings.apply(
          "RuntimeDefault".equals(appArmor.getType())
              ? PodField.APP_ARMOR_DEFAULT
              : PodField.APP_ARMOR,
          path + ".appArmorProfile");
    }
    if (seccomp != null) {
      // ACI's seccompProfile is a whole profile (base64 JSON); Kubernetes names one.
      PodField rule =
          switch (String.valueOf(seccomp.getType())) {
            case "RuntimeDefault" -> PodField.SECCOMP_DEFAULT;
            case "Localhost" -> PodField.SECCOMP_LOCALHOST;
            default -> PodField.SECCOMP_UNCONFINED;
          };
      findings.apply(rule, path + ".seccompProfile");
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
