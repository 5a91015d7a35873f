Á
tE
C
Placeholder
output"dtype"
dtypetype"
shapeshape:"serve*2.21.02v2.21.0-rc1-5-ga481b10260d8ˆ
g
in_xPlaceholder*'
_output_shapes
:ÿÿÿÿÿÿÿÿÿ*
dtype0*
shape:ÿÿÿÿÿÿÿÿÿ
`
out_sPlaceholder*#
_output_shapes
:ÿÿÿÿÿÿÿÿÿ*
dtype0*
shape:ÿÿÿÿÿÿÿÿÿ
a
in_idsPlaceholder*#
_output_shapes
:ÿÿÿÿÿÿÿÿÿ*
dtype0	*
shape:ÿÿÿÿÿÿÿÿÿ
i
out_class_namePlaceholder*#
_output_shapes
:ÿÿÿÿÿÿÿÿÿ*
dtype0*
shape:ÿÿÿÿÿÿÿÿÿ
h
out_yPlaceholder*'
_output_shapes
:ÿÿÿÿÿÿÿÿÿ*
dtype0*
shape:ÿÿÿÿÿÿÿÿÿ"ª*k
scoresa
"
x
in_x:0ÿÿÿÿÿÿÿÿÿ
s
out_s:0ÿÿÿÿÿÿÿÿÿtensorflow/serving/predict*Ð
serving_default¼
"
ids
in_ids:0	ÿÿÿÿÿÿÿÿÿ
"
x
in_x:0ÿÿÿÿÿÿÿÿÿ1

class_name#
out_class_name:0ÿÿÿÿÿÿÿÿÿ#
y
out_y:0ÿÿÿÿÿÿÿÿÿtensorflow/serving/predict