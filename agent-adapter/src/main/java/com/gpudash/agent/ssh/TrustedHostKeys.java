package com.gpudash.agent.ssh;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.gpudash.agent.HostKeyTrust;
import com.gpudash.agent.HostShellException;
import com.gpudash.agent.SshTarget;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;

/**
 * The host keys one target may present, read from its pinned key or its {@code known_hosts} entries, and the
 * signature algorithms that ask the server for exactly those key types.
 */
record TrustedHostKeys(List<PublicKey> trusted, List<PublicKey> revoked) {

    /** SHA-1 RSA and DSA signatures are refused even for a trusted key: both are broken or deprecated. */
    private static final Set<String> WEAK_SIGNATURES = Set.of("ssh-rsa", "ssh-dss");

    static TrustedHostKeys of(SshTarget target) {
        HostKeyTrust trust = target.hostKeys();
        if (trust instanceof HostKeyTrust.Pinned pinned) {
            return new TrustedHostKeys(List.of(parse(target, pinned.openSshPublicKey())), List.of());
        }
        HostKeyTrust.KnownHosts knownHosts = (HostKeyTrust.KnownHosts) trust;
        List<PublicKey> trusted = new ArrayList<>();
        List<PublicKey> revoked = new ArrayList<>();
        try {
            for (KnownHostEntry entry : KnownHostEntry.readKnownHostEntries(knownHosts.file())) {
                if (!entry.isHostMatch(target.host(), target.port())) {
                    continue;
                }
                PublicKey key = entry.getKeyEntry().resolvePublicKey(null, Map.of(), null);
                if (entry.getMarker() == null) {
                    trusted.add(key);
                } else if ("revoked".equals(entry.getMarker())) {
                    revoked.add(key);
                }
                // @cert-authority lines sign host certificates, which this client does not ask for.
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new HostShellException("cannot read the known hosts file " + knownHosts.file() + ": " + e.getMessage(), e);
        }
        trusted.removeIf(key -> revoked.stream().anyMatch(bad -> KeyUtils.compareKeys(bad, key)));
        return new TrustedHostKeys(List.copyOf(trusted), List.copyOf(revoked));
    }

    boolean accepts(PublicKey presented) {
        return trusted.stream().anyMatch(key -> KeyUtils.compareKeys(key, presented));
    }

    List<String> fingerprints() {
        return trusted.stream().map(KeyUtils::getFingerPrint).toList();
    }

    /**
     * Apache SSHD does not prefer the key types it trusts, so a server offering another type first would be
     * refused although it holds a trusted key. Asking only for the trusted types makes it present one of those.
     */
    List<NamedFactory<Signature>> signatures() {
        Set<String> types = trusted.stream().map(KeyUtils::getKeyType).collect(Collectors.toSet());
        return supportedSignatures().stream()
                .filter(signature -> types.contains(KeyUtils.getCanonicalKeyType(signature.getName())))
                .toList();
    }

    /** Every signature algorithm this client may use, weakest excluded; also what client authentication may sign with. */
    static List<NamedFactory<Signature>> supportedSignatures() {
        return BuiltinSignatures.VALUES.stream()
                .filter(BuiltinSignatures::isSupported)
                .filter(signature -> !signature.getName().contains("-cert-"))
                .filter(signature -> !WEAK_SIGNATURES.contains(signature.getName()))
                .<NamedFactory<Signature>>map(signature -> signature)
                .toList();
    }

    private static PublicKey parse(SshTarget target, String openSshPublicKey) {
        try {
            return PublicKeyEntry.parsePublicKeyEntry(openSshPublicKey.strip()).resolvePublicKey(null, Map.of(), null);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new HostShellException("the host key pinned for " + target.host() + ":" + target.port()
                    + " is not an OpenSSH public key line: " + e.getMessage(), e);
        }
    }
}
