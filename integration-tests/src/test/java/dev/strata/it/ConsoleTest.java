package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.wasm.WatFixtures;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real headless Chromium (Debian's chromium and chromium-driver, driven by
 * Selenium): the collection list, a query with its table, paging and plan picture, a syntax
 * error's caret, and registering a module with the admin token. Screenshots of each step go to
 * {@code target/console-screenshots}.
 */
class ConsoleTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SHOTS = Path.of("target", "console-screenshots");

    @TempDir Path dir;
    private TestNode node;
    private ChromeDriver browser;
    private WebDriverWait await;

    @BeforeEach
    void start() throws Exception {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as("the console test drives Debian's chromium: apt-get install chromium chromium-driver (.ci/run and ./strata test do)")
                .isTrue();
        node = new TestNode(dir);
        node.createCollection("shop", null);
        StringBuilder bulk = new StringBuilder();
        String[] cats = {"phones", "laptops", "audio"};
        for (int i = 0; i < 40; i++) {
            bulk.append("{\"_id\":\"p").append(String.format("%02d", i)).append("\",\"name\":\"item ").append(i).append("\",\"category\":\"")
                    .append(cats[i % 3]).append("\",\"price\":").append(10 + i).append(",\"qty\":").append(i % 5).append("}\n");
        }
        assertThat(node.send("POST", "/collections/shop/bulk?refresh=true", "application/x-ndjson", bulk.toString(), false).status()).isEqualTo(200);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1100");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        await = new WebDriverWait(browser, Await.PATIENCE);
        Files.createDirectories(SHOTS);
    }

    @AfterEach
    void stop() {
        if (browser != null) browser.quit();
        if (node != null) node.close();
    }

    private WebElement byTest(String id) { return browser.findElement(By.cssSelector("[data-testid='" + id + "']")); }

    private void shot(String name) throws Exception {
        Files.write(SHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    private void query(String text) {
        WebElement box = byTest("query");
        box.clear();
        box.sendKeys(text);
        byTest("run").click();
    }

    @Test
    void aUserBrowsesCollectionsRunsAQueryPagesSeesThePlanAndRegistersAModule() throws Exception {
        browser.get(node.base + "/");
        await.until(d -> byTest("collections").getText().contains("shop") && byTest("collections").getText().contains("40 docs"));
        assertThat(byTest("collections").getText()).contains("category, name, price, qty");
        await.until(d -> byTest("health").getText().equals("node: ok"));
        shot("1-collections");

        query("price * qty > 20 ORDER BY price DESC");
        await.until(d -> byTest("hits").findElements(By.cssSelector("tbody tr")).size() == 10);
        List<String> header = byTest("hits").findElements(By.cssSelector("thead th")).stream().map(WebElement::getText).toList();
        assertThat(header).startsWith("_id", "_score").contains("price", "qty", "category");
        String firstPage = byTest("hits").findElement(By.cssSelector("tbody tr td")).getText();
        assertThat(firstPage).isEqualTo("p39");
        assertThat(byTest("summary").getText()).matches("\\d+ matched, 10 shown, [0-9.]+ ms");
        WebElement svg = await.until(d -> byTest("profile-picture").findElement(By.cssSelector("svg[data-testid='plan-svg']")));
        List<WebElement> bars = svg.findElements(By.cssSelector("rect[data-tier='expression']"));
        assertThat(bars).as("cost, rows kept and time for the one expression conjunct").hasSize(3);
        assertThat(svg.getText()).contains("#1 expression: price * qty > 20").contains("cost ns/row").contains("rows kept");
        shot("2-query-and-plan");

        byTest("next").click();
        await.until(d -> byTest("page").getText().equals("page 2"));
        await.until(d -> !byTest("hits").findElement(By.cssSelector("tbody tr td")).getText().equals(firstPage));
        shot("3-next-page");

        query("price >");
        WebElement error = await.until(d -> byTest("error").isDisplayed() ? byTest("error") : null);
        List<String> lines = error.getText().lines().toList();
        assertThat(lines.get(0)).startsWith("QUERY_SYNTAX: unexpected end of query");
        assertThat(lines.subList(lines.size() - 2, lines.size())).as("the query line and a caret under column 8")
                .containsExactly("price >", "       ^");
        shot("4-syntax-error");

        Path wat = dir.resolve("math.wat");
        Files.writeString(wat, WatFixtures.text("math"));
        WebElement token = browser.findElement(By.id("token"));
        token.sendKeys(TestNode.TOKEN);
        browser.findElement(By.cssSelector("#register-box summary")).click();
        browser.findElement(By.id("reg-name")).sendKeys("math");
        browser.findElement(By.id("reg-file")).sendKeys(wat.toAbsolutePath().toString());
        browser.findElement(By.cssSelector("#register button[type='submit']")).click();
        await.until(d -> byTest("register-result").getText().startsWith("registered math"));
        await.until(d -> byTest("modules").getText().contains("math"));
        assertThat(byTest("modules").getText()).contains("add");
        shot("5-module-registered");
        assertThat(new File(SHOTS.toFile(), "5-module-registered.png")).isFile();
    }
}
