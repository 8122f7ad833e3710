-- Where the demo world put each injected defect, so screens and tests can name the exact partition.
create table demo_injected_fault (
    defect        text  primary key,
    dataset       text  not null,
    business_date date  not null,
    detail        jsonb not null
);
