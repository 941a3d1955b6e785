package io.mailflow.core.params;

import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Parameters: one kind of parameter value both ways, as the admin shell and the HOCON loader
 * read it ({@code unlimited}, {@code 10MB}, {@code 00:05:00}, {@code $true}) and as
 * Format-List prints it ({@code Unlimited}, {@code 36 MB (37,748,736 bytes)}, {@code True}).
 * Ranges are part of the form, so a value out of range fails to parse with the same text
 * wherever it was written. Instances come from {@link Forms}.
 *
 * @param <T> the value's type in the model
 */
public interface Form<T> {

    /**
     * Reads one value.
     *
     * @throws IllegalArgumentException with the problem in an administrator's words, e.g.
     *                                  {@code 0 is outside the range 1-10000 or unlimited}
     */
    T parse(String text);

    /** The value as Get-... | Format-List prints it. */
    String display(T value);

    /** This form, with one more rule: values for which {@code ok} is false are refused with {@code message}. */
    default Form<T> check(Predicate<T> ok, Function<T, String> message) {
        Form<T> base = this;
        return new Form<>() {
            @Override
            public T parse(String text) {
                T value = base.parse(text);
                if (!ok.test(value)) {
                    throw new IllegalArgumentException(message.apply(value));
                }
                return value;
            }

            @Override
            public String display(T value) {
                return base.display(value);
            }
        };
    }
}
