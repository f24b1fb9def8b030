package io.tradeanomaly.localaws.junit;

import io.tradeanomaly.localaws.LocalAwsNamespace;
import io.tradeanomaly.localaws.LocalAwsStack;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives integration tests the local AWS stack: started once per test JVM on free ports (stopped when the JVM ends;
 * the emulators also exit by themselves if it is killed), and a namespace of freshly provisioned, isolated resource
 * names per test class. Inject {@link LocalAwsStack} or {@link LocalAwsNamespace} as parameters, or use
 * {@link #sharedStack()} from a Spring {@code @DynamicPropertySource}.
 */
public final class LocalAwsExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(LocalAwsExtension.class);
    private static LocalAwsStack shared;

    /** The stack of this JVM, started on first use. */
    public static synchronized LocalAwsStack sharedStack() {
        if (shared == null) {
            LocalAwsStack stack = LocalAwsStack.startOnFreePorts(
                    Path.of("target", "local-aws", "logs").toAbsolutePath(), null);
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "local-aws-stop"));
            shared = stack;
        }
        return shared;
    }

    private static synchronized void sharedStackClose() {
        if (shared != null) {
            shared.close();
            shared = null;
        }
    }

    /** Provisions a namespace of fresh resources for a label (e.g. a test class or a single test). */
    public static LocalAwsNamespace newNamespace(String label) {
        LocalAwsNamespace names = LocalAwsNamespace.isolated(label);
        sharedStack().provision(names);
        return names;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // Stop the stack when the whole test plan is done (before the JVM's exit), not only in a shutdown hook.
        context.getRoot()
                .getStore(STORE)
                .computeIfAbsent("stack", k -> (AutoCloseable) () -> sharedStackClose(), AutoCloseable.class);
        Class<?> testClass = context.getRequiredTestClass();
        context.getStore(STORE)
                .computeIfAbsent(testClass, c -> newNamespace(testClass.getSimpleName()), LocalAwsNamespace.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == LocalAwsStack.class || type == LocalAwsNamespace.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (parameter.getParameter().getType() == LocalAwsStack.class) {
            return sharedStack();
        }
        Class<?> testClass = context.getRequiredTestClass();
        return context.getStore(STORE)
                .computeIfAbsent(testClass, c -> newNamespace(testClass.getSimpleName()), LocalAwsNamespace.class);
    }
}
