package io.mailflow.core.params;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Parameters: one Exchange parameter of one kind of object, declared once (STYLE.md §4): its
 * name, its value form with range ({@link Form}), its default, how to read it from the object
 * and how to set it on the object's builder. The HOCON loader, Set-... and Get-... | Format-List
 * all go through it, so they accept and print the same values with the same problem texts.
 *
 * @param <O> the object, e.g. ReceiveConnector
 * @param <B> the object's builder, e.g. ReceiveConnectorBuilder
 * @param <T> the value
 */
public final class Param<O, B, T> {
    private final String name;
    private final Form<T> form;
    private final T defaultValue;
    private final Function<O, T> getter;
    private final BiConsumer<B, T> setter;
    private final boolean nullable;

    private Param(String name, Form<T> form, T defaultValue, Function<O, T> getter, BiConsumer<B, T> setter,
                  boolean nullable) {
        this.name = Objects.requireNonNull(name);
        this.form = Objects.requireNonNull(form);
        this.defaultValue = defaultValue;
        this.getter = Objects.requireNonNull(getter);
        this.setter = setter;
        this.nullable = nullable;
    }

    /**
     * A parameter Set-... can change.
     *
     * @param defaultValue the value a new object gets, or null when it depends on the object
     *                     (Bindings of a connector depend on its usage type)
     */
    public static <O, B, T> Param<O, B, T> of(String name, Form<T> form, T defaultValue, Function<O, T> getter,
                                              BiConsumer<B, T> setter) {
        return new Param<>(name, form, defaultValue, getter, Objects.requireNonNull(setter), false);
    }

    /** A property Get-... prints and Set-... refuses (Identity, Server). */
    public static <O, B, T> Param<O, B, T> readOnly(String name, Form<T> form, Function<O, T> getter) {
        return new Param<>(name, form, null, getter, null, false);
    }

    /**
     * This parameter, also accepting {@code $null} (shell) or HOCON's {@code null}: the setter then
     * receives null, which restores the object's computed value (Banner: Exchange's own banner).
     */
    public Param<O, B, T> nullable() {
        return new Param<>(name, form, defaultValue, getter, setter, true);
    }

    public String name() {
        return name;
    }

    public Form<T> form() {
        return form;
    }

    public Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    public boolean isReadOnly() {
        return setter == null;
    }

    public boolean isNullable() {
        return nullable;
    }

    /** True for Bindings, PermissionGroups and the other multi-valued parameters. */
    public boolean isMultiValued() {
        return form instanceof ListForm;
    }

    /**
     * Reads a value as the shell gives it, quoted or not; {@code $null} for a nullable parameter.
     *
     * @throws IllegalArgumentException with the problem, without the parameter's name
     */
    public T parse(String text) {
        if (nullable && isNullText(text)) {
            return null;
        }
        return form.parse(Forms.unquote(text));
    }

    public T get(O object) {
        return getter.apply(object);
    }

    /** The value of {@code object} as Format-List prints it. */
    public String display(O object) {
        T value = getter.apply(object);
        return value == null ? "" : form.display(value);
    }

    /** The default as Format-List would print it, empty when the default depends on the object. */
    public String displayDefault() {
        return defaultValue == null ? "" : form.display(defaultValue);
    }

    /** @throws UnsupportedOperationException for a read-only property */
    public void set(B builder, T value) {
        if (setter == null) {
            throw new UnsupportedOperationException(name + " is read-only");
        }
        setter.accept(builder, value);
    }

    /** Reads {@code text} and sets it. */
    public void setText(B builder, String text) {
        set(builder, parse(text));
    }

    private static boolean isNullText(String text) {
        return text.trim().toLowerCase(Locale.ROOT).equals("$null");
    }

    @Override
    public String toString() {
        return name;
    }
}
