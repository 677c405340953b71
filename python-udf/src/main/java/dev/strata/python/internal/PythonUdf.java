package dev.strata.python.internal;

import dev.strata.core.spi.UdfFunction;
import dev.strata.core.value.ValueKind;
import java.util.List;

/** What both ways of running a Python function share: the module version, the function and its signature. */
abstract class PythonUdf implements UdfFunction {
    static final String TIER = "python_udf";

    final PythonModuleVersion version;
    final String function;
    final PythonSignature signature;
    final String qualified;

    PythonUdf(PythonModuleVersion version, String function) {
        this.version = version;
        this.function = function;
        this.signature = version.signatures().get(function);
        this.qualified = version.name + "." + function;
    }

    @Override
    public final List<ValueKind> parameterKinds() { return signature.params(); }

    @Override
    public final ValueKind resultKind() { return signature.result(); }

    @Override
    public final boolean deterministic() { return signature.deterministic(); }

    /** What a row costs when nothing is declared: in process about 50 ns entered, through a worker a few hundred with the pipe. */
    abstract double defaultCostNanos();

    @Override
    public final double costHintNanos() { return Double.isNaN(signature.costNanos()) ? defaultCostNanos() : signature.costNanos(); }
}
