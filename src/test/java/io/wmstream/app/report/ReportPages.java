package io.wmstream.app.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/** Reads the HTML report pages that replay and diff write, and checks the charts they show. */
public final class ReportPages {
    private static final Pattern IMAGE = Pattern.compile("<img src=\"([^\"]+)\"");

    private ReportPages() {
    }

    /** The {@code src} of every image of the page, in page order. */
    public static List<String> images(Path page) throws IOException {
        Matcher matcher = IMAGE.matcher(Files.readString(page));
        List<String> images = new ArrayList<>();
        while (matcher.find()) {
            images.add(matcher.group(1));
        }
        return images;
    }

    /** Asserts that every image of the page is a PNG beside it, of the chart size, with a chart drawn in it. */
    public static void assertChartsBeside(Path page) throws IOException {
        for (String image : images(page)) {
            assertThat(image).as("a relative path").doesNotContain("/", ":").endsWith(".png");
            Path file = page.resolveSibling(image);
            assertThat(file).as(image).isRegularFile();
            BufferedImage png = ImageIO.read(file.toFile());
            assertThat(png).as(image + " decodes").isNotNull();
            assertThat(png.getWidth()).as(image).isEqualTo(ChartStyle.WIDTH);
            assertThat(png.getHeight()).as(image).isEqualTo(ChartStyle.HEIGHT);
            assertThat(colours(png)).as(image + " is more than a blank background").isGreaterThan(8);
        }
    }

    /** How many distinct colours the image holds, sampled on a grid of 4 pixels (more than a blank background). */
    public static int colours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 4) {
            for (int x = 0; x < image.getWidth(); x += 4) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
