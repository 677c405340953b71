package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.node.access.AccessTokens;
import dev.strata.node.access.Scope;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scoped tokens over real HTTP: read, write and admin, open scopes by default, 401 and 403 naming the scope. */
class AccessTest {
    @TempDir Path dir;

    private static final String READ = "r-token-0123456789";
    private static final String WRITE = "w-token-0123456789";

    @Test
    void byDefaultReadsAndWritesAreOpenAndAdminNeedsItsToken() {
        try (TestNode n = new TestNode(dir)) {
            assertThat(n.sendWith(null, "PUT", "/collections/c", null, null).status()).isEqualTo(401);
            assertThat(n.send("PUT", "/collections/c", null, null, true).status()).isEqualTo(201);
            assertThat(n.sendWith(null, "PUT", "/collections/c/docs/a", "application/json", "{\"x\":1}").status()).isEqualTo(201);
            assertThat(n.sendWith(null, "GET", "/collections/c/docs/a", null, null).status()).isEqualTo(200);
        }
    }

    @Test
    void withReadAndWriteTokensEachRouteNeedsItsScope() {
        try (TestNode n = new TestNode(dir, 1 << 20, c -> c.toBuilder().readToken(READ).writeToken(WRITE).build())) {
            assertThat(n.send("PUT", "/collections/c", null, null, true).status()).isEqualTo(201);
            assertThat(n.sendWith(null, "GET", "/health", null, null).status()).as("health stays open").isEqualTo(200);

            TestNode.Response anonymous = n.sendWith(null, "GET", "/collections/c/query?q=x%3D1", null, null);
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(anonymous.error()).isEqualTo("UNAUTHORIZED");
            assertThat(anonymous.message()).contains("needs the read scope").contains("a read, write or admin token")
                    .doesNotContain(dir.toString());
            TestNode.Response unknown = n.sendWith("guess", "GET", "/collections", null, null);
            assertThat(unknown.status()).isEqualTo(401);
            assertThat(unknown.message()).contains("not one this node knows");

            assertThat(n.sendWith(READ, "GET", "/collections/c/query?q=x%3D1", null, null).status()).isEqualTo(200);
            TestNode.Response readWrites = n.sendWith(READ, "PUT", "/collections/c/docs/a", "application/json", "{\"x\":1}");
            assertThat(readWrites.status()).isEqualTo(403);
            assertThat(readWrites.error()).isEqualTo("FORBIDDEN");
            assertThat(readWrites.message()).contains("a read token does not allow this request: it needs the write scope");

            assertThat(n.sendWith(WRITE, "PUT", "/collections/c/docs/a", "application/json", "{\"x\":1}").status()).isEqualTo(201);
            assertThat(n.sendWith(WRITE, "GET", "/collections/c/docs/a", null, null).status()).as("write includes read").isEqualTo(200);
            TestNode.Response writeCreates = n.sendWith(WRITE, "PUT", "/collections/d", null, null);
            assertThat(writeCreates.status()).isEqualTo(403);
            assertThat(writeCreates.message()).contains("needs the admin scope");
            assertThat(n.sendWith(TestNode.TOKEN, "DELETE", "/collections/c/docs/a", null, null).status()).as("admin includes write")
                    .isEqualTo(200);
        }
    }

    @Test
    void aReadTokenAloneClosesWritesTooAndBlankTokensAreRefused() {
        AccessTokens readOnly = new AccessTokens("admin-1", null, READ);
        assertThat(readOnly.open(Scope.READ)).isFalse();
        assertThat(readOnly.open(Scope.WRITE)).as("guarding reads but not writes makes no sense").isFalse();
        AccessTokens writeOnly = new AccessTokens("admin-1", WRITE, null);
        assertThat(writeOnly.open(Scope.READ)).isTrue();
        assertThat(writeOnly.open(Scope.WRITE)).isFalse();
        assertThat(writeOnly.granted(WRITE)).isEqualTo(Scope.WRITE);
        assertThat(writeOnly.granted("admin-1")).isEqualTo(Scope.ADMIN);
        assertThat(writeOnly.granted("admin-")).isEqualTo(Scope.PUBLIC);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AccessTokens("admin-1", " ", null))
                .hasMessageContaining("the write token must not be empty");
    }
}
