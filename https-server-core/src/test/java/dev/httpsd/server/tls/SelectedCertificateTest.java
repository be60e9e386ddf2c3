package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.ReliabilityRecord;
import dev.httpsd.server.SuiteRecord;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The material a {@link CertificateSelector} returns is the material presented, however many
 * other materials it returns meanwhile, even a fresh object per handshake. JSSE looks the key and
 * chain up by the alias the key manager chose, so an alias must keep naming that one material
 * through the handshake, and the aliases must not hold memory once their materials are gone.
 */
@ParameterizedClass
@EnumSource(TlsEngine.class)
class SelectedCertificateTest {

    /** The {@code send-and-certificates} table: cases run and passed per suite. */
    @RegisterExtension
    static final SuiteRecord RECORD = new SuiteRecord("send-and-certificates");

    @Parameter
    TlsEngine engine;

    /** Well over the 256 aliases the selector's former LRU cache held. */
    private static final int MATERIALS = 300;

    private static final boolean LONG = Boolean.getBoolean("httpsd.long");

    /** {@code -Dhttpsd.long=true}: ten times the concurrent handshakes. */
    private static final int ROUNDS = LONG ? 10 : 1;

    private static final List<String> NAMES = IntStream.range(0, 48)
            .mapToObj(i -> "host-%02d.example.test".formatted(i))
            .toList();
    private static final Map<String, KeyMaterial> BY_NAME = NAMES.stream()
            .collect(Collectors.toUnmodifiableMap(
                    name -> name, name -> TlsFixtures.CA.issueServer(name, Duration.ofDays(2), List.of(name))));

    /** A new object with the same certificate and key, as a selector without a cache returns. */
    private static KeyMaterial fresh(String name) {
        KeyMaterial base = BY_NAME.get(name);
        return KeyMaterial.of(base.privateKey(), base.chain(), "fresh " + name);
    }

    private static String subject(X509Certificate[] chain) {
        return chain[0].getSubjectX500Principal().getName();
    }

    @Test
    void everyAliasStillNamesItsOwnMaterialAfterManyOthersWereChosen() {
        List<KeyMaterial> materials = IntStream.range(0, MATERIALS)
                .mapToObj(i -> fresh(NAMES.get(i % NAMES.size())))
                .toList();
        AtomicInteger next = new AtomicInteger();
        SniKeyManager keys = new SniKeyManager(null, Map.of(), name -> materials.get(next.getAndIncrement()));

        // all choices before any lookup: the worst interleaving of overlapping handshakes
        List<String> aliases = new ArrayList<>();
        for (int i = 0; i < MATERIALS; i++) {
            aliases.add(keys.chooseEngineServerAlias("EC", null, null));
        }

        assertThat(new HashSet<>(aliases)).as("one alias per material").hasSize(MATERIALS);
        for (int i = 0; i < MATERIALS; i++) {
            KeyMaterial material = materials.get(i);
            assertThat(keys.getPrivateKey(aliases.get(i)))
                    .as("key of alias %d", i)
                    .isSameAs(material.privateKey());
            assertThat(keys.getCertificateChain(aliases.get(i)))
                    .as("chain of alias %d", i)
                    .containsExactlyElementsOf(material.chain());
        }
    }

    @Test
    void aMaterialReferencedByNothingElseResolvesBetweenChoiceAndLookup() {
        SniKeyManager keys = new SniKeyManager(null, Map.of(), name -> fresh("host-07.example.test"));

        String alias = keys.chooseEngineServerAlias("EC", null, null);
        // the selector kept nothing: only the key manager's own reference can keep the material
        for (int i = 0; i < 3; i++) {
            System.gc();
        }

        assertThat(keys.getPrivateKey(alias)).isNotNull();
        assertThat(subject(keys.getCertificateChain(alias))).isEqualTo("CN=host-07.example.test");
    }

    @Test
    void freshMaterialsAreForgottenOnceNothingUsesThem() {
        SniKeyManager keys = new SniKeyManager(null, Map.of(), name -> fresh("host-01.example.test"));
        for (int i = 0; i < MATERIALS; i++) {
            String alias = keys.chooseEngineServerAlias("EC", null, null);
            assertThat(keys.getPrivateKey(alias)).isNotNull();
        }

        // bounded in count and time; what is left is the one this thread chose last
        for (int round = 0; round < 50 && keys.selectedMaterials() > 1; round++) {
            System.gc();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }

        assertThat(keys.selectedMaterials()).isLessThanOrEqualTo(1);
        System.out.printf(
                "RELIABILITY selected aliases: %d fresh materials chosen, %d still named after collection%n",
                MATERIALS, keys.selectedMaterials());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void concurrentHandshakesEachGetTheCertificateSelectedForTheirName(String protocol) throws Exception {
        AtomicInteger selections = new AtomicInteger();
        int clients = 8;
        int handshakesPerClient = ROUNDS * (MATERIALS / clients + 1);
        // no resumption: every connection is a full handshake and asks the selector
        try (TlsTestServer server = TlsTestServer.start(
                        engine,
                        b -> b.sessionTickets(false).certificateSelector(name -> {
                            selections.incrementAndGet();
                            return name == null ? null : fresh(name);
                        }));
                ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                results.add(pool.submit(() -> {
                    List<String> mismatches = new ArrayList<>();
                    for (int i = 0; i < handshakesPerClient; i++) {
                        String name = NAMES.get((client * handshakesPerClient + i) % NAMES.size());
                        // a fresh client context each time: a JSSE client that tries to resume
                        // sends the server name of the session it resumes, not the one it is given
                        SSLContext context = TlsFixtures.clientContext(null);
                        String presented = TlsFixtures.presentedSubject(context, server.port(), p -> {
                            TlsFixtures.serverName(name).accept(p);
                            TlsFixtures.protocols(protocol).accept(p);
                        });
                        if (!presented.equals("CN=" + name)) {
                            mismatches.add(name + " got " + presented);
                        }
                    }
                    return mismatches;
                }));
            }
            List<String> mismatches = new ArrayList<>();
            for (Future<List<String>> result : results) {
                mismatches.addAll(result.get(2L * ROUNDS, TimeUnit.MINUTES));
            }

            assertThat(mismatches).isEmpty();
            assertThat(selections.get()).isGreaterThanOrEqualTo(clients * handshakesPerClient);
            System.out.printf(
                    "RELIABILITY selected certificates (%s): handshakes=%d from %d concurrent clients over %d"
                            + " names, fresh materials selected=%d, wrong certificates=%d%n",
                    protocol,
                    clients * handshakesPerClient,
                    clients,
                    NAMES.size(),
                    selections.get(),
                    mismatches.size());
        }
        ReliabilityRecord.row(
                LONG ? "selected-certificates.long" : "selected-certificates",
                List.of(
                        "engine",
                        "protocol",
                        "concurrent clients",
                        "server names",
                        "full handshakes, each selecting a fresh certificate object",
                        "asserted"),
                engine + " " + protocol,
                List.of(
                        engine.name(),
                        protocol,
                        String.valueOf(clients),
                        String.valueOf(NAMES.size()),
                        String.format(Locale.ROOT, "%,d", clients * handshakesPerClient),
                        "every handshake shown the certificate of the name it asked for (0 wrong); the selector"
                                + " asked at least once per handshake"));
    }
}
