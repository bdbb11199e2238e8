package io.github.acivirtualnode.e2e.bench;

import io.github.acivirtualnode.e2e.peer.PeerKubelet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The reference implementation, virtual-kubelet/azure-aci v1.6.4 unmodified ({@link PeerKubelet}),
 * one process per virtual node, against the scenario's emulator (as management.azure.com through a
 * loopback CONNECT proxy) and the shared control plane. Its Nodes are told apart by their names,
 * its container groups by their tags NodeName and UID.
 */
public final class PeerSubject implements BenchSubject {
  /** The managed identity's client ID; the emulator's identity endpoint accepts any. */
  static final String IDENTITY = "44444444-4444-4444-4444-444444444444";

  private final Path repo;
  private final Path workDir;

  /**
   * @param repo the repository (its build script builds or reuses the cached peer)
   * @param workDir where each peer process gets its certificates and log
   */
  public PeerSubject(Path repo, Path workDir) {
    this.repo = repo;
    // Absolute: each peer process runs in its own directory and is given these paths.
    this.workDir = workDir.toAbsolutePath();
  }

  @Override
  public String name() {
    return BenchReport.PEER_NAME;
  }

  @Override
  public String description() {
    return "the reference implementation, unmodified, built from its Go module, one process per"
        + " virtual node, default settings (status poll 5 s), reaching the emulator as "
        + PeerKubelet.ARM_HOST
        + " through a loopback CONNECT proxy, App Service style managed identity";
  }

  @Override
  public Started start(BenchContext context) {
    // Fails here, before any scenario time is spent, when the peer cannot be built.
    PeerKubelet.build(repo);
    return new Running(context);
  }

  private final class Running implements Started {
    private final BenchContext ctx;
    private final List<PeerKubelet> peers = new ArrayList<>();

    Running(BenchContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public List<String> addNodes(String prefix, int count) {
      List<String> nodes = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String node =
            "peer-" + prefix + "-" + i + "-" + UUID.randomUUID().toString().substring(0, 4);
        PeerKubelet peer =
            PeerKubelet.start(
                repo,
                workDir.resolve(node),
                ctx.cluster().kubeconfigFile(),
                ctx.emulator(),
                new PeerKubelet.Settings(
                    node,
                    ctx.subscriptionId(),
                    ctx.tenantId(),
                    ctx.resourceGroup(),
                    ctx.region(),
                    IDENTITY));
        peers.add(peer);
        nodes.add(node);
      }
      return nodes;
    }

    @Override
    public String footprintNote() {
      return "the peer's own processes: RSS is the sum of their VmRSS (/proc/PID/status), CPU"
          + " seconds the sum of their utime + stime (/proc/PID/stat), sampled once a second; no"
          + " heap (a Go process)";
    }

    @Override
    public boolean ownProcesses() {
      return true;
    }

    @Override
    public List<Long> processIds() {
      return peers.stream().map(PeerKubelet::pid).toList();
    }

    @Override
    public String nodeTag() {
      return "NodeName";
    }

    @Override
    public String podUidTag() {
      return "UID";
    }

    @Override
    public void close() {
      for (PeerKubelet peer : peers) {
        if (!peer.alive()) {
          System.out.println(
              "[bench] the peer " + peer.nodeName() + " had exited; its log:\n" + peer.logTail(40));
        }
        peer.close();
        // It leaves its Node behind when it stops.
        ctx.client().nodes().withName(peer.nodeName()).delete();
      }
    }
  }
}
