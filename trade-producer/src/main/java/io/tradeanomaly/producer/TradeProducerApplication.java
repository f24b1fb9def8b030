package io.tradeanomaly.producer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class TradeProducerApplication {

    public static void main(String[] args) {
        SpringApplication.run(TradeProducerApplication.class, args);
    }
}
