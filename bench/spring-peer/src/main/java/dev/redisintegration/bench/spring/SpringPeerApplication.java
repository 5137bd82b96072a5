package dev.redisintegration.bench.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Stock Spring Boot: Actuator health with the Redis indicator auto-configured by spring-data-redis. */
@SpringBootApplication
public class SpringPeerApplication {

    public static void main(String[] args) {
        SpringApplication.run(SpringPeerApplication.class, args);
    }
}
