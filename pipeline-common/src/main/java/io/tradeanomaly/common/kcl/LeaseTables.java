package io.tradeanomaly.common.kcl;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * Creates a KCL 3.x lease table exactly as KCL would (hash key {@code leaseKey}, on-demand billing) but with its
 * {@value #OWNER_INDEX} global secondary index in the same CreateTable call. KCL 3.x adds that index with
 * UpdateTable, which dynalite cannot do; a table that already has it is simply used. On AWS this is harmless.
 */
public final class LeaseTables {

    /** The index KCL 3.x queries for a worker's leases (DynamoDBLeaseRefresher). */
    public static final String OWNER_INDEX = "LeaseOwnerToLeaseKeyIndex";

    private static final Logger log = LoggerFactory.getLogger(LeaseTables.class);
    private static final String LEASE_KEY = "leaseKey";
    private static final String LEASE_OWNER = "leaseOwner";

    private LeaseTables() {}

    /** Creates the lease table if it does not exist and waits until it and its index are ACTIVE. */
    public static void ensureLeaseTable(DynamoDbAsyncClient dynamoDb, String tableName, Duration timeout) {
        if (describe(dynamoDb, tableName) == null) {
            try {
                dynamoDb.createTable(leaseTableRequest(tableName)).join();
                log.info("Created lease table {} with index {}", tableName, OWNER_INDEX);
            } catch (CompletionException e) {
                if (!(e.getCause() instanceof ResourceInUseException)) {
                    throw e;
                }
            }
        }
        awaitActive(dynamoDb, tableName, timeout);
    }

    static CreateTableRequest leaseTableRequest(String tableName) {
        return CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attribute(LEASE_KEY), attribute(LEASE_OWNER))
                .keySchema(key(LEASE_KEY, KeyType.HASH))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                        .indexName(OWNER_INDEX)
                        .keySchema(key(LEASE_OWNER, KeyType.HASH), key(LEASE_KEY, KeyType.RANGE))
                        .projection(Projection.builder()
                                .projectionType(ProjectionType.KEYS_ONLY)
                                .build())
                        .build())
                .build();
    }

    private static void awaitActive(DynamoDbAsyncClient dynamoDb, String tableName, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            TableDescription table = describe(dynamoDb, tableName);
            if (table != null && isActive(table)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("lease table " + tableName + " not ACTIVE after " + timeout);
            }
            try {
                Thread.sleep(50); // polling an external system's state; there is no event to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for lease table " + tableName, e);
            }
        }
    }

    private static boolean isActive(TableDescription table) {
        return table.tableStatus() == TableStatus.ACTIVE
                && table.globalSecondaryIndexes().stream()
                        .filter(index -> OWNER_INDEX.equals(index.indexName()))
                        .allMatch(index -> index.indexStatus() == IndexStatus.ACTIVE);
    }

    private static TableDescription describe(DynamoDbAsyncClient dynamoDb, String tableName) {
        try {
            return dynamoDb.describeTable(b -> b.tableName(tableName)).join().table();
        } catch (CompletionException e) {
            if (e.getCause() instanceof ResourceNotFoundException) {
                return null;
            }
            throw e;
        }
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder()
                .attributeName(name)
                .attributeType(ScalarAttributeType.S)
                .build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
