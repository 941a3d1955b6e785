package io.mailflow.core.params;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Parameters: a multi-valued parameter (Bindings, RemoteIPRanges, PermissionGroups,
 * AuthMechanism). Its text is comma-separated ({@code AnonymousUsers,ExchangeServers},
 * {@code "[::]:25","0.0.0.0:25"}, or the printed {@code {[::]:25, 0.0.0.0:25}}); the HOCON loader
 * hands it a list element by element, so a problem names the element it belongs to. Each element
 * is read on its own, then the whole list is checked ({@link #collect}).
 *
 * @param <E> one element
 * @param <T> the whole value, a {@code List<E>} or a {@code Set<E>}
 */
public interface ListForm<E, T> extends Form<T> {

    /** One element. @throws IllegalArgumentException when it is not valid */
    E parseElement(String text);

    /** The whole value from elements already read. @throws IllegalArgumentException when the list is not valid as a whole */
    T collect(List<E> elements);

    /** This form, with one more rule on the whole list: lists for which {@code ok} is false are refused with {@code message}. */
    default ListForm<E, T> checkWhole(Predicate<T> ok, Function<T, String> message) {
        ListForm<E, T> base = this;
        return new ListForm<>() {
            @Override
            public E parseElement(String text) {
                return base.parseElement(text);
            }

            @Override
            public T collect(List<E> elements) {
                T value = base.collect(elements);
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

    /** Every element's problem at once, joined by {@code "; "}. */
    @Override
    default T parse(String text) {
        List<E> elements = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String part : Forms.splitList(text)) {
            try {
                elements.add(parseElement(part));
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return collect(elements);
    }
}
