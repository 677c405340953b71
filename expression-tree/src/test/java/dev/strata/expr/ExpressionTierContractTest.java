package dev.strata.expr;

import static dev.strata.expr.Ast.*;

import dev.strata.core.ast.ArithmeticOp;
import dev.strata.core.ast.Expr;
import dev.strata.core.testkit.TierContractKit;
import dev.strata.core.spi.TierFactory;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

class ExpressionTierContractTest extends TierContractKit {
    @Override
    protected TierFactory factory() { return new ExpressionTierFactory(); }

    // Fixture document i: n = i; price = i % 50 + 0.5 unless i % 7 == 0 (then null if i % 14 == 0, else absent);
    // color = red/green/blue/Grün/😀 by i % 5; flag = i % 3 == 0; tags = [a, b] if i % 10 == 0, [] if i % 10 == 1.
    private static List<String> ids(IntPredicate p) {
        return IntStream.range(0, 300).filter(p).mapToObj(i -> "d" + i).toList();
    }

    @Override
    protected List<ContractCase> cases() {
        return List.of(
                new ContractCase("n < 10", lt(field("n"), lit(10)), ids(i -> i < 10)),
                new ContractCase("color = 'red'", eq(field("color"), lit("red")), ids(i -> i % 5 == 0)),
                new ContractCase("price > 40", gt(field("price"), lit(40)), ids(i -> i % 7 != 0 && i % 50 + 0.5 > 40)),
                new ContractCase("NOT price > 40 (missing and null stay UNKNOWN)", not(gt(field("price"), lit(40))),
                        ids(i -> i % 7 != 0 && i % 50 + 0.5 <= 40)),
                new ContractCase("tags = 'b' (any element)", eq(field("tags"), lit("b")), ids(i -> i % 10 == 0)),
                new ContractCase("flag AND n % 2 = 0", and(field("flag"), eq(arith(ArithmeticOp.MODULO, field("n"), lit(2)), lit(0))),
                        ids(i -> i % 3 == 0 && i % 2 == 0)),
                new ContractCase("color > 'red' (code-point order: only U+1F600 sorts after)", gt(field("color"), lit("red")),
                        ids(i -> i % 5 == 4)),
                new ContractCase("upper(color) IN ('BLUE', 'GRÜN')", in(call("upper", field("color")), lit("BLUE"), lit("GRÜN")),
                        ids(i -> i % 5 == 2 || i % 5 == 3)),
                new ContractCase("n < 5 OR n > 295", or(lt(field("n"), lit(5)), gt(field("n"), lit(295))),
                        ids(i -> i < 5 || i > 295)));
    }

    @Override
    protected Expr invalidClause() { return gt(field("color"), lit(5)); }
}
