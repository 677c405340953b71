package dev.strata.node.cluster;

import dev.strata.core.spi.ExecutionContext;
import dev.strata.node.Node;
import dev.strata.node.exec.GroupPartial;
import dev.strata.node.exec.HitMerge;
import dev.strata.node.exec.QueryExecutor;
import dev.strata.node.exec.QueryService;
import dev.strata.node.exec.ResumeAfter;
import dev.strata.node.plan.Plan;
import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.node.storage.Snapshot;
import java.io.Serializable;
import java.util.BitSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A query over every member of the cluster: planned on the member that got it (so a wrong query
 * fails there, once), run by each member over what it holds, and merged: totals added, hits
 * k-way merged on their positions ({@link HitMerge}), groups merged from each member's partial
 * states ({@link QueryExecutor#mergeGroups}). On a single node ({@link LocalFabric}) it is the
 * ordinary query.
 */
public final class DistributedQuery {
    private DistributedQuery() {}

    /** A merged answer: the total, the page of hits or groups, and the cursor of the next page (null: the last). */
    public record Answer(long total, List<QueryExecutor.Hit> hits, QueryExecutor.Groups groups, ResumeAfter next, int members,
                         List<MemberPlan> plans, List<dev.strata.node.exec.Facets.Field> facets) {}

    /** What else a query asks for: each member's plan ({@code explain}) and profile, and value counts of {@code facets} (the largest {@code facetSize}). */
    public record Extras(boolean explain, boolean profile, List<String> facets, int facetSize) implements Serializable {
        public static final Extras NONE = new Extras(false, false, List.of(), 0);

        public Extras {
            facets = List.copyOf(facets);
        }
    }

    /** What one member ran, for explain: its address, the partitions it answered for, how many matched there, and its plan. */
    public record MemberPlan(String member, List<Integer> partitions, long matched, dev.strata.core.value.Value.ObjectValue plan,
                             dev.strata.core.value.Value.ObjectValue profile) implements Serializable {}

    /**
     * One member's part: its total, its first OFFSET + LIMIT hits (after the cursor), or its partial
     * groups, over the partitions it answered for ({@code partitions}; null on a node without
     * partitioned storage, which answers for everything it holds).
     */
    record MemberAnswer(long total, List<QueryExecutor.Hit> hits, GroupPartial groups, boolean more, BitSet partitions, MemberPlan plan,
                        List<dev.strata.node.exec.Facets.Field> facets) implements Serializable {}

    /** What each member runs: the query on its own copy of the collection, as its part of the merged page. */
    record Part(String collection, String text, ResumeAfter after, long defaultSize, java.util.TreeMap<String, String> modules, Extras extras)
            implements ClusterTask<MemberAnswer> {
        @Override
        public MemberAnswer run(MemberContext member) {
            Node n = member.service(Node.class);
            checkModules(n, member);
            MemberAnswer a = answer(n, member);
            checkModules(n, member); // and not swapped while it ran
            return a;
        }

        private void checkModules(Node n, MemberContext member) {
            if (modules != null && (n == null || n.partitioned() == null)) {
                throw new StrataException(ErrorCode.UNAVAILABLE, "member " + member.member().address() + " is still starting; retry");
            }
            UdfReplication udfs = n == null || n.partitioned() == null ? null : n.partitioned().udfs();
            if (modules != null && (udfs.changing() || !modules.equals(udfs.digests()))) {
                throw new StrataException(ErrorCode.UNAVAILABLE, "UDF modules on member " + member.member().address()
                        + " differ from the asked member's (a registration is on its way); retry");
            }
        }

        private MemberAnswer answer(Node n, MemberContext member) {
            // facets with every bucket, so the asked member's merge is exact
            QueryExecutor.Page page = new QueryExecutor.Page(defaultSize, after, extras.facets(), Integer.MAX_VALUE).withPartial();
            PartitionedStore store = n.partitioned();
            BitSet partitions = store == null ? null : store.answering(collection);
            Snapshot snapshot = store == null ? n.collection(collection).snapshot() : store.ownedSnapshot(collection, partitions);
            try (QueryService.Outcome o = n.queries().start(collection, snapshot, text, true, 0, false, page, Long.MAX_VALUE)) {
                QueryExecutor.Result r = o.result();
                MemberPlan plan = !extras.explain() && !extras.profile() ? null : new MemberPlan(member.member().address(),
                        partitions == null ? null : partitions.stream().boxed().toList(), r.total(),
                        extras.explain() ? dev.strata.node.api.ExplainReply.of(r.report()).toJson() : null,
                        extras.profile() ? dev.strata.node.api.ProfileReply.of(o, r.report()) : null);
                return new MemberAnswer(r.total(), new ArrayList<>(r.hits()), r.groups() == null ? null : r.groups().partial(), r.next() != null,
                        partitions, plan, new ArrayList<>(r.facets()));
            }
        }
    }

    /**
     * Every member's part, answered over partitions that together are each partition exactly once.
     * While partitions move (a member joined or left) the parts may overlap or leave one out; then
     * the query is asked again, for at most the cluster's retry period, and after that it fails
     * UNAVAILABLE naming the partitions: never a partial or double-counted answer.
     */
    private static Map<ClusterMember, MemberAnswer> answers(Node node, java.util.function.Supplier<Part> parts) {
        PartitionedStore store = node.partitioned();
        long deadline = System.nanoTime() + (store == null ? 0 : store.settings().retryFor().toNanos());
        int partitions = node.fabric().partitionCount();
        for (int round = 0; ; round++) {
            Map<ClusterMember, MemberAnswer> answers;
            String problem;
            try {
                answers = node.fabric().runOnMembers(parts.get()); // with the asked member's modules as they are now
                if (store == null) return answers;
                BitSet seen = new BitSet();
                BitSet twice = new BitSet();
                for (MemberAnswer a : answers.values()) {
                    BitSet both = (BitSet) seen.clone();
                    both.and(a.partitions());
                    twice.or(both);
                    seen.or(a.partitions());
                }
                if (twice.isEmpty() && seen.cardinality() == partitions) return answers;
                BitSet missing = new BitSet();
                missing.set(0, partitions);
                missing.andNot(seen);
                problem = "partitions are moving between members (unanswered: " + missing + ", answered twice: " + twice + "); retry";
            } catch (StrataException e) {
                if (e.code() != ErrorCode.UNAVAILABLE) throw e;
                problem = e.getMessage();
            }
            if (System.nanoTime() > deadline) throw new StrataException(ErrorCode.UNAVAILABLE, problem);
            try {
                Thread.sleep(Math.min(500, 20L << Math.min(round, 5)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StrataException(ErrorCode.UNAVAILABLE, problem);
            }
        }
    }

    /** Runs {@code text} on collection {@code collection} of every member; {@code after} is a cursor's position (or null). */
    public static Answer run(Node node, String collection, String text, ResumeAfter after, long defaultSize) {
        return run(node, collection, text, after, defaultSize, Extras.NONE);
    }

    /** As above, with each member's plan ({@link Answer#plans}) and merged facets when {@code extras} asks for them. */
    public static Answer run(Node node, String collection, String text, ResumeAfter after, long defaultSize, Extras extras) {
        Plan plan = node.queries().plan(collection, (node.partitioned() != null ? node.partitioned().collection(collection)
                : node.collection(collection)).snapshot(), text, true);
        Map<ClusterMember, MemberAnswer> answers = answers(node, () -> new Part(collection, text, after, defaultSize,
                node.partitioned() == null ? null : node.partitioned().udfs().digests(), extras));
        List<MemberPlan> plans = new ArrayList<>();
        List<List<dev.strata.node.exec.Facets.Field>> facetParts = new ArrayList<>();
        for (MemberAnswer a : answers.values()) {
            if (a.plan() != null) plans.add(a.plan());
            facetParts.add(a.facets());
        }
        List<dev.strata.node.exec.Facets.Field> facets = extras.facets().isEmpty() ? List.of()
                : dev.strata.node.exec.Facets.merge(facetParts, extras.facetSize());
        long total = 0;
        for (MemberAnswer a : answers.values()) total += a.total();
        if (plan.grouping() != null) {
            List<GroupPartial> partials = new ArrayList<>();
            for (MemberAnswer a : answers.values()) partials.add(a.groups());
            QueryExecutor.MergedGroups m = QueryExecutor.mergeGroups(plan, partials, after, defaultSize, ExecutionContext.unbounded());
            return new Answer(total, List.of(), m.groups(), m.next(), answers.size(), plans, facets);
        }
        var q = plan.query();
        long limit = q.limit().orElse(defaultSize);
        long offset = after != null ? 0 : q.offset();
        boolean[] descending = new boolean[q.orderBy().size()];
        for (int k = 0; k < descending.length; k++) descending[k] = q.orderBy().get(k).descending();
        List<List<QueryExecutor.Hit>> pages = new ArrayList<>();
        long available = 0;
        boolean more = false;
        for (MemberAnswer a : answers.values()) {
            pages.add(a.hits());
            available += a.hits().size();
            more |= a.more();
        }
        List<QueryExecutor.Hit> hits = HitMerge.merge(pages, descending, offset, limit);
        boolean follows = !hits.isEmpty() && (more || available > offset + hits.size());
        return new Answer(total, hits, null, follows ? hits.get(hits.size() - 1).position() : null, answers.size(), plans, facets);
    }
}
