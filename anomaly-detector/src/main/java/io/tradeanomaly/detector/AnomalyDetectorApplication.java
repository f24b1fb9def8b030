package io.tradeanomaly.detector;

import io.tradeanomaly.detector.backtest.BacktestCommand;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The anomaly detector service; {@code backtest ...} as first argument scores a file offline instead. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AnomalyDetectorApplication {

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && "backtest".equals(args[0])) {
            System.exit(BacktestCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        SpringApplication.run(AnomalyDetectorApplication.class, args);
    }
}
