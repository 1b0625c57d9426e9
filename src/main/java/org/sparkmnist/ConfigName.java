package org.sparkmnist;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A member of a closed set of names the config accepts (an activation, a weight initialisation, an
 * updater). Each set is one enum that parses its config name, builds the DL4J object and lists its
 * names for error messages and the README, so that adding a member is one line in one place.
 * Every member is an enum constant, and its config name is the constant's name in the config's
 * spelling ({@code XAVIER_UNIFORM} is {@code xavier-uniform}).
 */
public interface ConfigName {

    /** The name a user writes in the config, e.g. {@code xavier-uniform}: the constant's name, lower case, dashes for underscores. */
    default String configName() {
        return ((Enum<?>) this).name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The member of {@code type} called {@code name} in the config, if any. */
    static <E extends Enum<E> & ConfigName> Optional<E> parse(Class<E> type, String name) {
        return Arrays.stream(type.getEnumConstants()).filter(e -> e.configName().equals(name)).findFirst();
    }

    /** Every config name of {@code type}, in declaration order. */
    static <E extends Enum<E> & ConfigName> List<String> names(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(ConfigName::configName).toList();
    }
}
