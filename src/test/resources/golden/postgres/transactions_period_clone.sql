create schema if not exists closed;
create table closed.transactions_202611 (like curated.transactions including all);
insert into closed.transactions_202611 select * from curated.transactions
