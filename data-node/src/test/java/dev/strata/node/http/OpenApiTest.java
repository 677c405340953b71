package dev.strata.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.value.Value;
import dev.strata.node.Node;
import dev.strata.node.NodeConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenApiTest {
    @TempDir Path dir;

    @Test
    void everyRouteIsDescribedAndEveryDescriptionIsARoute() {
        try (Node node = Node.open(NodeConfig.defaults(dir))) {
            List<Route> routes = HttpApi.routes(new NodeRoutes(node), new CollectionRoutes(node), new QueryRoutes(node), new UdfRoutes(node),
                    () -> "");
            Set<String> registered = new TreeSet<>();
            for (Route r : routes) registered.add(r.method().name() + " " + r.path());
            assertThat(registered).as("routes and their descriptions").isEqualTo(new TreeSet<>(OpenApi.OPS.keySet()));
            Value.ObjectValue doc = (Value.ObjectValue) OpenApi.document(routes);
            assertThat(doc.get("openapi")).isEqualTo(Value.of("3.0.3"));
            Value.ObjectValue paths = (Value.ObjectValue) doc.get("paths");
            int operations = 0;
            for (var p : paths.fields().entrySet()) {
                for (var op : ((Value.ObjectValue) p.getValue()).fields().entrySet()) {
                    assertThat(registered).contains(op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + p.getKey());
                    Value.ObjectValue o = (Value.ObjectValue) op.getValue();
                    assertThat(o.get("summary")).isNotNull();
                    assertThat(o.get("x-strata-scope")).isNotNull();
                    assertThat(((Value.ObjectValue) o.get("responses")).fields()).containsKeys("4XX", "5XX");
                    operations++;
                }
            }
            assertThat(operations).isEqualTo(routes.size());
        }
    }
}
