package io.tradeanomaly.common.kcl;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
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
 * UpdateTable, which dynalite cannot do; a table that already has it is simply used. On AWS this is harmless. Also
 * removes a stopped worker from the table, which KCL leaves to expire ({@link #forgetWorker}).
 */
public final class LeaseTables {

    /** The index KCL 3.x queries for a worker's leases (DynamoDBLeaseRefresher). */
    public static final String OWNER_INDEX = "LeaseOwnerToLeaseKeyIndex";

    private static final Logger log = LoggerFactory.getLogger(LeaseTables.class);
    private static final String LEASE_KEY = "leaseKey";
    private static final String LEASE_OWNER = "leaseOwner";
    private static final String ENTITY_TYPE = "entityType";
    private static final String WORKER_METRIC_STATS = "WORKER_METRIC_STATS";
    private static final String LEGACY_WORKER_METRICS_SUFFIX = "-WorkerMetricStats";
    private static final String LEGACY_WORKER_ID = "wid";
    private static final Duration FORGET_TIMEOUT = Duration.ofSeconds(5);

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

    /**
     * Deletes a stopped worker's WorkerMetricStats entry, so that the leader's lease balancer stops counting it as a
     * live worker at once. KCL never deletes its own entry; until it expires (two reporting periods after the last
     * report) the balancer may hand leases to the stopped worker, and each such shard waits for its lease to expire.
     * The entry is an item of the lease table ({@code entityType} WORKER_METRIC_STATS, keyed by worker id), or of the
     * legacy {@code <application>-WorkerMetricStats} table for applications that still have one (KCL writes to one of
     * them), which is tried only when the lease table holds no entry for the worker.
     * Never throws: a failure only leaves the entry to expire.
     */
    public static void forgetWorker(DynamoDbAsyncClient dynamoDb, String tableName, String workerId) {
        boolean notInLeaseTable = delete(
                dynamoDb,
                workerId,
                DeleteItemRequest.builder()
                        .tableName(tableName)
                        .key(Map.of(LEASE_KEY, AttributeValue.fromS(workerId)))
                        .conditionExpression("#type = :metrics")
                        .expressionAttributeNames(Map.of("#type", ENTITY_TYPE))
                        .expressionAttributeValues(Map.of(":metrics", AttributeValue.fromS(WORKER_METRIC_STATS)))
                        .build());
        if (!notInLeaseTable) {
            return;
        }
        delete(
                dynamoDb,
                workerId,
                DeleteItemRequest.builder()
                        .tableName(tableName + LEGACY_WORKER_METRICS_SUFFIX)
                        .key(Map.of(LEGACY_WORKER_ID, AttributeValue.fromS(workerId)))
                        .conditionExpression("attribute_exists(#id)")
                        .expressionAttributeNames(Map.of("#id", LEGACY_WORKER_ID))
                        .build());
    }

    /** Deletes a worker's entry; true when the table (or the entry) does not exist there, false otherwise. */
    private static boolean delete(DynamoDbAsyncClient dynamoDb, String workerId, DeleteItemRequest request) {
        try {
            dynamoDb.deleteItem(request).get(FORGET_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            log.info("Removed worker {} from {}", workerId, request.tableName());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ConditionalCheckFailedException
                    || e.getCause() instanceof ResourceNotFoundException) {
                return true;
            }
            log.warn(
                    "Could not remove worker {} from {}; it expires instead",
                    workerId,
                    request.tableName(),
                    e.getCause());
        } catch (TimeoutException e) {
            log.warn("Removing worker {} from {} timed out; it expires instead", workerId, request.tableName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) { // e.g. a client already closed: the entry expires instead
            log.warn("Could not remove worker {} from {}; it expires instead", workerId, request.tableName(), e);
        }
        return false;
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
