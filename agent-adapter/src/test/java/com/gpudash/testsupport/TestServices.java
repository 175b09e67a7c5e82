package com.gpudash.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the real services of the test suite are: the defaults are what {@code scripts/test-services.sh} starts,
 * and each can be moved with the environment variable of the same name.
 */
public final class TestServices {

    static final String IP_BINARY = "/usr/sbin/ip";

    public static final String HOW_TO_START = "start the test services with: sudo bash scripts/test-services.sh";

    private TestServices() {
    }

    public static String dbHost() {
        return env("TEST_DB_HOST", "127.0.0.1");
    }

    public static int dbPort() {
        return Integer.parseInt(env("TEST_DB_PORT", "3306"));
    }

    public static String dbUser() {
        return env("TEST_DB_USER", "root");
    }

    public static String dbPassword() {
        return env("TEST_DB_PASSWORD", "");
    }

    public static String dockerEndpoint() {
        return env("TEST_DOCKER_ENDPOINT", "unix:///var/run/docker.sock");
    }

    public static String dockerImage() {
        return env("TEST_DOCKER_IMAGE", "gpu-dev-env-test:latest");
    }

    public static String sshHost() {
        return env("TEST_SSH_HOST", "127.0.0.1");
    }

    public static int sshPort() {
        return Integer.parseInt(env("TEST_SSH_PORT", "2222"));
    }

    public static String sshUser() {
        return env("TEST_SSH_USER", "root");
    }

    public static Path sshPrivateKey() {
        return Path.of(env("TEST_SSH_PRIVATE_KEY", "/var/lib/gpudash-test/ssh/id_ed25519"));
    }

    public static Path sshHostKeyFile() {
        return Path.of(env("TEST_SSH_HOST_KEY_FILE", "/var/lib/gpudash-test/ssh/ssh_host_ed25519_key.pub"));
    }

    public static Path sshKnownHosts() {
        return Path.of(env("TEST_SSH_KNOWN_HOSTS", "/var/lib/gpudash-test/ssh/known_hosts"));
    }

    public static String nginxBinary() {
        return env("TEST_NGINX_BIN", "/usr/sbin/nginx");
    }

    /** The Docker daemon binary a test starts an engine of its own with ({@link TestDockerd}). */
    public static String dockerdBinary() {
        return env("TEST_DOCKERD_BIN", "/usr/sbin/dockerd");
    }

    /** The Docker client, for copying the test image into an engine of the test's own. */
    public static String dockerClientBinary() {
        return env("TEST_DOCKER_BIN", "/usr/bin/docker");
    }

    public static String promtoolBinary() {
        return env("TEST_PROMTOOL_BIN", "/usr/bin/promtool");
    }

    public static String systemdAnalyzeBinary() {
        return env("TEST_SYSTEMD_ANALYZE_BIN", "/usr/bin/systemd-analyze");
    }

    public static String nodeBinary() {
        return env("TEST_NODE_BIN", "/usr/bin/node");
    }

    /** Redocly's CLI, the OpenAPI linter, where {@code scripts/test-services.sh} installs it. */
    public static String redoclyBinary() {
        return env("TEST_REDOCLY_BIN", "/var/lib/gpudash-test/redocly/node_modules/.bin/redocly");
    }

    /** Fails the calling test, naming the service and how to start it, when it is not reachable. */
    public static void require(Service service) {
        String problem = service.problem();
        if (problem != null) {
            throw new AssertionError(service.label + " is not available for this test: " + problem + "; " + HOW_TO_START);
        }
    }

    public enum Service {
        MARIADB("MariaDB") {
            @Override
            String problem() {
                return tcpProblem(dbHost(), dbPort());
            }
        },
        DOCKER("The Docker Engine") {
            @Override
            String problem() {
                String endpoint = dockerEndpoint();
                if (endpoint.startsWith("unix://")) {
                    Path socket = Path.of(URI.create(endpoint).getPath());
                    return Files.exists(socket) ? null : "no socket at " + socket + " (TEST_DOCKER_ENDPOINT=" + endpoint + ")";
                }
                URI uri = URI.create(endpoint);
                return tcpProblem(uri.getHost(), uri.getPort());
            }
        },
        OPENSSH("OpenSSH sshd") {
            @Override
            String problem() {
                String tcp = tcpProblem(sshHost(), sshPort());
                if (tcp != null) {
                    return tcp;
                }
                if (!Files.isReadable(sshPrivateKey())) {
                    return "the client key " + sshPrivateKey() + " is missing (TEST_SSH_PRIVATE_KEY)";
                }
                return Files.isReadable(sshHostKeyFile()) ? null
                        : "the pinned host key " + sshHostKeyFile() + " is missing (TEST_SSH_HOST_KEY_FILE)";
            }
        },
        NGINX("nginx") {
            @Override
            String problem() {
                return Files.isExecutable(Path.of(nginxBinary())) ? null
                        : "no nginx binary at " + nginxBinary() + " (TEST_NGINX_BIN)";
            }
        },
        /** What {@link TestDockerd} needs to start an engine of its own: root, dockerd, the docker client and ip. */
        DOCKERD("A Docker daemon of the test's own") {
            @Override
            String problem() {
                if (!"root".equals(System.getProperty("user.name"))) {
                    return "starting dockerd and a network bridge needs root, the tests run as "
                            + System.getProperty("user.name");
                }
                for (String binary : List.of(dockerdBinary(), dockerClientBinary(), IP_BINARY)) {
                    if (!Files.isExecutable(Path.of(binary))) {
                        return "no executable at " + binary + " (TEST_DOCKERD_BIN, TEST_DOCKER_BIN; ip is iproute2's)";
                    }
                }
                return DOCKER.problem();
            }
        },
        PROMTOOL("Prometheus' promtool") {
            @Override
            String problem() {
                return Files.isExecutable(Path.of(promtoolBinary())) ? null
                        : "no promtool binary at " + promtoolBinary() + " (TEST_PROMTOOL_BIN)";
            }
        },
        SYSTEMD_ANALYZE("systemd-analyze") {
            @Override
            String problem() {
                return Files.isExecutable(Path.of(systemdAnalyzeBinary())) ? null
                        : "no systemd-analyze at " + systemdAnalyzeBinary() + " (TEST_SYSTEMD_ANALYZE_BIN)";
            }
        },
        NODE("Node.js") {
            @Override
            String problem() {
                return Files.isExecutable(Path.of(nodeBinary())) ? null
                        : "no node at " + nodeBinary() + " (TEST_NODE_BIN)";
            }
        },
        REDOCLY("Redocly's OpenAPI linter") {
            @Override
            String problem() {
                return Files.isExecutable(Path.of(redoclyBinary())) ? null
                        : "no redocly at " + redoclyBinary() + " (TEST_REDOCLY_BIN)";
            }
        };

        private final String label;

        Service(String label) {
            this.label = label;
        }

        /** Why the service cannot be used, or null when it can. */
        abstract String problem();
    }

    private static String tcpProblem(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
            return null;
        } catch (IOException e) {
            return "nothing answers on " + host + ":" + port + " (" + e.getMessage() + ")";
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
