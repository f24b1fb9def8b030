package io.tradeanomaly.producer;

import io.tradeanomaly.producer.cli.GenerateCommand;
import io.tradeanomaly.producer.cli.ReplayCommand;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The trade producer service; {@code generate ...} as first argument writes trades to a file instead, {@code replay
 * ...} puts a file of any records onto the input stream.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TradeProducerApplication {

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && "generate".equals(args[0])) {
            System.exit(GenerateCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && "replay".equals(args[0])) {
            System.exit(ReplayCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        SpringApplication.run(TradeProducerApplication.class, args);
    }
}
