package org.sparkmnist.scoring;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * Names the image formats phones and browsers save that the JDK has no decoder for, from their
 * first bytes, so that such a file is rejected as what it is, with what to do about it, rather
 * than as "not an image": an iPhone saves HEIC unless told otherwise, and web pages serve WebP.
 */
final class UnreadFormats {

    /** Brands of an ISO base media file's ftyp box that mean a HEIF still image (HEIC, AVIF). */
    private static final Set<String> HEIF_BRANDS = Set.of("heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1", "avif", "avis");

    private UnreadFormats() {
    }

    /** What {@code file} is, when it is a format the JDK cannot decode, and what to save instead. */
    static Optional<String> recognise(byte[] file) {
        if (file.length >= 12 && ascii(file, 4, 4).equals("ftyp")) {
            String brand = ascii(file, 8, 4);
            if (HEIF_BRANDS.contains(brand)) {
                String name = brand.startsWith("avi") ? "AVIF" : "HEIC/HEIF";
                return Optional.of(name + " image (brand " + brand + "), which the JDK cannot decode; save or export it as JPEG or PNG"
                        + " (an iPhone does so with Settings > Camera > Formats > Most Compatible)");
            }
        }
        if (file.length >= 12 && ascii(file, 0, 4).equals("RIFF") && ascii(file, 8, 4).equals("WEBP")) {
            return Optional.of("WebP image, which the JDK cannot decode; save or export it as JPEG or PNG");
        }
        return Optional.empty();
    }

    private static String ascii(byte[] bytes, int at, int length) {
        return new String(bytes, at, length, StandardCharsets.ISO_8859_1);
    }
}
