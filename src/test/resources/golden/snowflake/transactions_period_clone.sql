create schema if not exists closed;
create table closed.transactions_202611 clone curated.transactions
